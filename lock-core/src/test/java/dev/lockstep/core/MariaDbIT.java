package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What lock-core does on MariaDB beyond the contract suites (which run there as on every database):
 * the schema check's MariaDB traps, first-use races of fresh keys, InnoDB's deadlock behind a rolled-back
 * insert, waits for the key-lock and lease rows, and the clock in another time zone.
 */
class MariaDbIT {

    @Test
    void aLongUniqueKeyTurnedUsingHashIsRefusedAsAMisfit() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.MARIADB)) {
            Schema.install(db.dataSource(), Strategy.ADVISORY_LOCK);
            execute(db, "CREATE UNIQUE INDEX lockstep_run_one_active_per_key ON lockstep_run (run_key)");
            assertThatThrownBy(() -> Coordinator.create(db.dataSource(), Strategy.RUNNING_AT_CREATION))
                    .isInstanceOfSatisfying(SchemaMismatchException.class, e -> assertThat(e.problems()).containsExactly(
                            "index lockstep_run_one_active_per_key is not unique, on lockstep_run (run_key) without a predicate;"
                                    + " it must be UNIQUE on lockstep_run (run_key) WHERE status IN ('running', 'paused')"));
        }
    }

    /**
     * The lease row is found by its hash: a row written by hand without one gets it by default, so the
     * lease strategy finds that row, and a hash that is not the key's is refused.
     */
    @Test
    void aLeaseRowWrittenWithoutItsHashIsFoundAndAWrongHashIsRefused() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.MARIADB)) {
            Coordinator runs = installed(db, Strategy.ON_CONFLICT_LEASE);
            execute(db, "INSERT INTO lockstep_lease (lease_key, run_id, fence, taken_at) VALUES ('repo/a', NULL, 41, 0)");
            assertThat(runs.begin("repo/a", "deploy", "a").fence()).as("the hand-written row's fence, raised").isEqualTo(42);
            assertThatThrownBy(() -> execute(db, "INSERT INTO lockstep_lease (lease_hash, lease_key, run_id, fence, taken_at)"
                    + " VALUES (UNHEX(SHA2('repo/b', 256)), 'repo/c', NULL, 0, 0)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(4025));
        }
    }

    @Test
    void theAdvisoryLockNeedsTheKeyLockTable() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.MARIADB)) {
            Schema.install(db.dataSource(), Strategy.ADVISORY_LOCK);
            execute(db, "DROP TABLE lockstep_key_lock");
            assertThatThrownBy(() -> Coordinator.create(db.dataSource(), Strategy.ADVISORY_LOCK))
                    .isInstanceOfSatisfying(SchemaMismatchException.class,
                            e -> assertThat(e.problems()).containsExactly("table lockstep_key_lock is missing"));
            assertThat(Coordinator.create(db.dataSource(), Strategy.ON_CONFLICT_LEASE).database()).isEqualTo(Database.MARIADB);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = "UNSAFE_NAIVE_GUARD", mode = EnumSource.Mode.EXCLUDE)
    void concurrentBeginsNeverOverlapOnAKey(Strategy strategy) throws Exception {
        int threads = 6;
        int rounds = 15;
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.MARIADB)) {
            Coordinator runs = installed(db, strategy);
            AtomicIntegerArray startedIn = new AtomicIntegerArray(rounds);
            AtomicInteger refused = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CyclicBarrier together = new CyclicBarrier(threads);
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    workers.add(pool.submit(() -> {
                        for (int round = 0; round < rounds; round++) {
                            together.await(60, TimeUnit.SECONDS);
                            String key = "fresh-" + round; // a key nobody locked before: the first-use races
                            try {
                                Claim claim = runs.begin(key, "deploy", "w" + thread);
                                startedIn.incrementAndGet(round);
                                if (round % 2 == 0) {
                                    runs.complete(claim); // even rounds free the key at once, so others may start after
                                }
                            } catch (AlreadyActiveException e) {
                                refused.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get(300, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            int started = 0;
            for (int round = 0; round < rounds; round++) {
                started += startedIn.get(round);
                // an odd round's winner keeps its key: exactly one begin of that round started
                assertThat(startedIn.get(round)).as("round %d", round).isGreaterThanOrEqualTo(1);
                if (round % 2 == 1) {
                    assertThat(startedIn.get(round)).as("round %d", round).isEqualTo(1);
                }
            }
            assertThat(started + refused.get()).isEqualTo(threads * rounds);
            // the database agrees: never more than one active run per key
            assertThat(strings(db, "SELECT run_key FROM lockstep_run WHERE status IN ('running', 'paused')"
                    + " GROUP BY run_key HAVING COUNT(*) > 1")).isEmpty();
            assertThat(Integer.parseInt(strings(db, "SELECT COUNT(*) FROM lockstep_run WHERE status IN ('running', 'completed')").get(0)))
                    .isEqualTo(started);
            assertThat(Integer.parseInt(strings(db, "SELECT COUNT(*) FROM lockstep_run WHERE status = 'running'").get(0)))
                    .isEqualTo(rounds / 2);
        }
    }

    /**
     * InnoDB's duplicate-key locks: two begins wait behind an uncommitted running row of their key; when it
     * rolls back, InnoDB picks one of them as a deadlock victim (1213), whose begin is made again and then
     * finds the other's run. Exactly one starts, and the other is refused as any late begin is.
     */
    @Test
    void aDeadlockOfTwoBeginsBehindARolledBackInsertIsRetried() throws Exception {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.MARIADB)) {
            Coordinator runs = installed(db, Strategy.RUNNING_AT_CREATION);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try (Connection first = db.dataSource().getConnection(); Statement s = first.createStatement()) {
                first.setAutoCommit(false);
                s.execute("INSERT INTO lockstep_run (run_key, name, status, fence, created_at) VALUES ('k', 'first', 'running', 1, 0)");
                List<Future<Object>> begins = new ArrayList<>();
                for (String owner : List.of("b", "c")) {
                    begins.add(pool.submit(() -> {
                        try {
                            return runs.begin("k", "deploy", owner);
                        } catch (AlreadyActiveException e) {
                            return e;
                        }
                    }));
                }
                // INNODB_TRX is a cache refreshed at most every 100 ms: polled slower than that, it is current
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> Integer.parseInt(strings(db,
                        "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'").get(0)) == 2);
                first.rollback();
                List<Object> outcomes = new ArrayList<>();
                for (Future<Object> begin : begins) {
                    outcomes.add(begin.get(60, TimeUnit.SECONDS));
                }
                assertThat(outcomes).filteredOn(Claim.class::isInstance).hasSize(1);
                assertThat(outcomes).filteredOn(AlreadyActiveException.class::isInstance).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(strings(db, "SELECT owner FROM lockstep_run WHERE status = 'running'")).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = "UNSAFE_NAIVE_GUARD", mode = EnumSource.Mode.EXCLUDE)
    void aStartWaitingForTheKeyLockRowTheLeaseRowOrTheRunRowTimesOut(Strategy strategy) throws Exception {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.MARIADB)) {
            Schema.install(db.dataSource(), strategy);
            Coordinator runs = Coordinator.create(db.dataSource(), Coordinator.Options.of(strategy).withLockTimeout(Duration.ofMillis(300)));
            Run run = runs.create("repo/a", "build");
            try (Connection holder = db.dataSource().getConnection(); Statement s = holder.createStatement()) {
                holder.setAutoCommit(false);
                // what each strategy's start waits for: the key's lock row, the lease row, or the run's row
                switch (strategy) {
                    case ADVISORY_LOCK ->
                        s.execute("INSERT INTO lockstep_key_lock VALUES (UNHEX(SHA2(CONCAT('lockstep', CHAR(0), 'repo/a'), 256)))");
                    case ON_CONFLICT_LEASE -> s.execute("INSERT INTO lockstep_lease (lease_hash, lease_key, run_id, fence, taken_at)"
                            + " VALUES (UNHEX(SHA2('repo/a', 256)), 'repo/a', NULL, 0, 0)");
                    default -> s.execute("SELECT id FROM lockstep_run WHERE id = " + run.id() + " FOR UPDATE");
                }
                long before = System.nanoTime();
                assertThatThrownBy(() -> runs.start(run.id(), "x")).isInstanceOf(LockTimeoutException.class);
                // one whole second is InnoDB's least wait; far below the server's 50 s default
                assertThat(Duration.ofNanos(System.nanoTime() - before)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(30));
                holder.rollback();
            }
            assertThat(runs.start(run.id(), "x").fence()).isEqualTo(1);
        }
    }

    @Test
    void theClockIsUtcEpochMillisWhateverTheSessionsTimeZone() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.MARIADB); Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String zone : List.of("+05:00", "-11:00", "+00:00")) {
                s.execute("SET time_zone = '" + zone + "'");
                long before = System.currentTimeMillis();
                long now = Long.parseLong(strings(c, "SELECT " + Database.MARIADB.nowMillisSql()).get(0));
                long after = System.currentTimeMillis();
                assertThat(now).as(zone).isBetween(before - 1000, after + 1000);
            }
        }
    }

    private static Coordinator installed(TestDatabase db, Strategy strategy) {
        Schema.install(db.dataSource(), strategy);
        return Coordinator.create(db.dataSource(), strategy);
    }

    private static List<String> strings(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return strings(c, sql);
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
