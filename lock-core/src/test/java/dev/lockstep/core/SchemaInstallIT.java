package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Concurrent installs take turns: every one succeeds and the schema ends up exactly as one install makes it. */
class SchemaInstallIT {

    private static final int INSTALLERS = 4;
    private static final int ROUNDS = 5;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void fourInstallsAtOnceIntoAFreshDatabaseAllSucceed(DatabaseKind kind) throws Exception {
        List<String> expected = List.of(switch (kind) {
            case POSTGRESQL -> new String[] {"lockstep_lease", "lockstep_lease_pkey", "lockstep_run", "lockstep_run_id_seq",
                    "lockstep_run_key_status", "lockstep_run_one_active_per_key", "lockstep_run_pending_by_age", "lockstep_run_pkey"};
            case SQLITE -> new String[] {"lockstep_lease", "lockstep_run", "lockstep_run_key_status", "lockstep_run_one_active_per_key",
                    "lockstep_run_pending_by_age", "sqlite_autoindex_lockstep_lease_1"};
            // tables, and each index as table.index with its type: InnoDB B-trees, none a long UNIQUE USING HASH
            case MARIADB -> new String[] {"lockstep_key_lock", "lockstep_key_lock.PRIMARY BTREE", "lockstep_lease",
                    "lockstep_lease.PRIMARY BTREE", "lockstep_run", "lockstep_run.PRIMARY BTREE", "lockstep_run.lockstep_run_key_status BTREE",
                    "lockstep_run.lockstep_run_one_active_per_key BTREE", "lockstep_run.lockstep_run_status_age BTREE"};
        });
        ExecutorService installers = Executors.newFixedThreadPool(INSTALLERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                try (TestDatabase db = TestDatabases.shared().create(kind)) {
                    CyclicBarrier together = new CyclicBarrier(INSTALLERS);
                    List<Future<?>> installs = new ArrayList<>();
                    for (int i = 0; i < INSTALLERS; i++) {
                        installs.add(installers.submit(() -> {
                            together.await(60, TimeUnit.SECONDS);
                            Schema.install(db.dataSource(), Strategy.RUNNING_AT_CREATION);
                            return null;
                        }));
                    }
                    for (Future<?> install : installs) {
                        install.get(120, TimeUnit.SECONDS); // throws if that install failed
                    }
                    assertThat(objects(db, kind)).as("round %d", round + 1).isEqualTo(expected);
                }
            }
        } finally {
            installers.shutdownNow();
            assertThat(installers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** The schema objects of {@code db}: tables, indexes, sequences; on MariaDB each index with its table and type. */
    static List<String> objects(TestDatabase db, DatabaseKind kind) throws SQLException {
        String sql = switch (kind) {
            case POSTGRESQL -> "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY relname";
            case SQLITE -> "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_sequence' ORDER BY name";
            case MARIADB -> "SELECT name FROM (SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                    + " UNION SELECT CONCAT(TABLE_NAME, '.', INDEX_NAME, ' ', INDEX_TYPE) FROM information_schema.STATISTICS"
                    + " WHERE TABLE_SCHEMA = DATABASE()) objects ORDER BY BINARY name";
        };
        List<String> names = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
