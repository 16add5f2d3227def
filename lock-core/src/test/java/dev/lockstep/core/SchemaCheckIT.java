package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Coordinator.create refuses a schema without what its strategy needs, saying what is missing and how to fix it. */
class SchemaCheckIT {

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void noTablesAtAllIsRefusedWithTheInstallCall(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.shared().create(kind)) {
            assertThatThrownBy(() -> Coordinator.create(db.dataSource(), Strategy.ADVISORY_LOCK))
                    .isInstanceOfSatisfying(SchemaMismatchException.class, e -> {
                        // MariaDB's advisory lock is a row of a table of its own
                        assertThat(e.problems()).containsExactlyElementsOf(kind == DatabaseKind.MARIADB
                                ? List.of("table lockstep_run is missing", "table lockstep_key_lock is missing")
                                : List.of("table lockstep_run is missing"));
                        assertThat(e.getMessage()).contains("Schema.install(dataSource, Strategy.ADVISORY_LOCK)")
                                .contains("lockstep install --db <jdbc-url> --strategy advisory-lock");
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void runningAtCreationOnAnotherStrategysSchemaIsRefusedAndInstallFixesIt(DatabaseKind kind) {
        try (TestDatabase db = TestDatabases.shared().create(kind)) {
            Schema.install(db.dataSource(), Strategy.ADVISORY_LOCK);
            for (Strategy fits : new Strategy[] {Strategy.ADVISORY_LOCK, Strategy.ON_CONFLICT_LEASE, Strategy.PENDING_INCLUSIVE_GUARD,
                    Strategy.UNSAFE_NAIVE_GUARD}) {
                assertThat(Coordinator.create(db.dataSource(), fits).options().strategy()).isEqualTo(fits);
            }

            assertThatThrownBy(() -> Coordinator.create(db.dataSource(), Strategy.RUNNING_AT_CREATION))
                    .isInstanceOfSatisfying(SchemaMismatchException.class, e -> {
                        assertThat(e.problems()).containsExactly("index lockstep_run_one_active_per_key is missing");
                        assertThat(e.getMessage()).contains("Schema.install(dataSource, Strategy.RUNNING_AT_CREATION)");
                    });

            Schema.install(db.dataSource(), Strategy.RUNNING_AT_CREATION);
            Coordinator runs = Coordinator.create(db.dataSource(), Strategy.RUNNING_AT_CREATION);
            runs.begin("k", "deploy", "a");
            assertThatThrownBy(() -> runs.begin("k", "deploy", "b")).isInstanceOf(AlreadyActiveException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void anIndexOfTheRightNameButAnotherPredicateIsRefusedAsAMisfit(DatabaseKind kind) throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(kind)) {
            Schema.install(db.dataSource(), Strategy.ADVISORY_LOCK);
            execute(db, kind == DatabaseKind.MARIADB
                    ? "ALTER TABLE lockstep_run ADD COLUMN running_key_hash BINARY(32) AS (CASE WHEN status = 'running'"
                            + " THEN UNHEX(SHA2(run_key, 256)) END) VIRTUAL, ADD UNIQUE INDEX lockstep_run_one_active_per_key (running_key_hash)"
                    : "CREATE UNIQUE INDEX lockstep_run_one_active_per_key ON lockstep_run (run_key) WHERE status = 'running'");

            assertThatThrownBy(() -> Coordinator.create(db.dataSource(), Strategy.RUNNING_AT_CREATION))
                    .isInstanceOfSatisfying(SchemaMismatchException.class, e -> {
                        assertThat(e.problems()).singleElement().asString()
                                .startsWith("index lockstep_run_one_active_per_key is on lockstep_run (run_key) where ")
                                .endsWith("it must be UNIQUE on lockstep_run (run_key) WHERE status IN ('running', 'paused')");
                        assertThat(e.getMessage()).contains("Install cannot change objects that exist");
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theLeaseStrategyNeedsTheLeaseTableAndEveryColumn(DatabaseKind kind) throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(kind)) {
            Schema.install(db.dataSource(), Strategy.ON_CONFLICT_LEASE);
            execute(db, "DROP TABLE lockstep_lease");
            execute(db, "ALTER TABLE lockstep_run DROP COLUMN completed_at");

            assertThatThrownBy(() -> Coordinator.create(db.dataSource(), Strategy.ON_CONFLICT_LEASE))
                    .isInstanceOfSatisfying(SchemaMismatchException.class, e -> assertThat(e.problems())
                            .containsExactly("table lockstep_lease is missing", "column lockstep_run.completed_at is missing"));
        }
    }

    private static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
