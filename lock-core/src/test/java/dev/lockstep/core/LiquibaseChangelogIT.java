package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.util.List;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Liquibase changelogs lock-core ships create exactly what {@link Schema#install} creates — the tables, and
 * with {@code lockstep-changelog.yaml} the running-at-creation index — on every database, a second update
 * changes nothing, and the coordinator's schema check passes (or, without the index, names it).
 */
class LiquibaseChangelogIT {

    private static final String WITH_INDEX = "dev/lockstep/db/changelog/lockstep-changelog.yaml";
    private static final String TABLES_ONLY = "dev/lockstep/db/changelog/lockstep-tables-changelog.yaml";

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theChangelogCreatesWhatInstallCreatesForRunningAtCreation(DatabaseKind kind) throws Exception {
        try (TestDatabase migrated = TestDatabases.shared().create(kind); TestDatabase installed = TestDatabases.shared().create(kind)) {
            update(migrated, WITH_INDEX);
            update(migrated, WITH_INDEX);
            Schema.install(installed.dataSource(), Strategy.RUNNING_AT_CREATION);

            assertThat(lockstepObjects(migrated, kind)).isEqualTo(lockstepObjects(installed, kind));
            Coordinator runs = Coordinator.create(migrated.dataSource(), Strategy.RUNNING_AT_CREATION);
            runs.begin("repo-1", "build", "w1");
            assertThatThrownBy(() -> runs.begin("repo-1", "build", "w2")).isInstanceOf(AlreadyActiveException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theTablesChangelogServesTheOtherStrategiesAndNotRunningAtCreation(DatabaseKind kind) throws Exception {
        try (TestDatabase migrated = TestDatabases.shared().create(kind); TestDatabase installed = TestDatabases.shared().create(kind)) {
            update(migrated, TABLES_ONLY);
            Schema.install(installed.dataSource(), Strategy.ADVISORY_LOCK);

            assertThat(lockstepObjects(migrated, kind)).isEqualTo(lockstepObjects(installed, kind));
            for (Strategy strategy : List.of(Strategy.ADVISORY_LOCK, Strategy.ON_CONFLICT_LEASE, Strategy.PENDING_INCLUSIVE_GUARD)) {
                Coordinator.create(migrated.dataSource(), strategy).begin("repo-" + strategy.label(), "build", "w1");
            }
            assertThatThrownBy(() -> Coordinator.create(migrated.dataSource(), Strategy.RUNNING_AT_CREATION))
                    .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("lockstep_run_one_active_per_key");
        }
    }

    private static void update(TestDatabase db, String changelog) throws Exception {
        try (Connection connection = db.dataSource().getConnection()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            try (Liquibase liquibase = new Liquibase(changelog, new ClassLoaderResourceAccessor(), database)) {
                liquibase.update("");
            }
        }
    }

    /** The schema's objects but Liquibase's own tables. */
    private static List<String> lockstepObjects(TestDatabase db, DatabaseKind kind) throws Exception {
        return SchemaInstallIT.objects(db, kind).stream().filter(name -> !name.toLowerCase(java.util.Locale.ROOT).startsWith("databasechangelog"))
                .toList();
    }
}
