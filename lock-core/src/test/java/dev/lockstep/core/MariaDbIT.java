package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * lock-core on MariaDB: the schema, every strategy's exclusivity and lifecycle, exact keys, bounded
 * lock waits and the clock. (The contract suites run here too once the test-database provider hands
 * MariaDB out.)
 */
class MariaDbIT {

    @Test
    void fourInstallsAtOnceAllSucceedAndEveryStrategyAcceptsTheSchema() throws Exception {
        try (MariaDbScratch db = MariaDbScratch.create()) {
            ExecutorService installers = Executors.newFixedThreadPool(4);
            try {
                CyclicBarrier together = new CyclicBarrier(4);
                List<Future<?>> installs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    installs.add(installers.submit(() -> {
                        together.await(60, TimeUnit.SECONDS);
                        Schema.install(db.dataSource(), Strategy.RUNNING_AT_CREATION);
                        return null;
                    }));
                }
                for (Future<?> install : installs) {
                    install.get(120, TimeUnit.SECONDS);
                }
            } finally {
                installers.shutdownNow();
            }
            assertThat(strings(db, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1"))
                    .containsExactly("lockstep_key_lock", "lockstep_lease", "lockstep_run");
            assertThat(strings(db, "SELECT DISTINCT CONCAT(INDEX_NAME, ' ', INDEX_TYPE) FROM information_schema.STATISTICS"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'lockstep_run' ORDER BY 1"))
                    .containsExactly("lockstep_run_key_status BTREE", "lockstep_run_one_active_per_key BTREE", "lockstep_run_status_age BTREE",
                            "PRIMARY BTREE");
            for (Strategy strategy : Strategy.values()) {
                assertThat(Coordinator.create(db.dataSource(), strategy).database()).isEqualTo(Database.MARIADB);
            }
        }
    }

    @Test
    void aLongUniqueKeyTurnedUsingHashIsRefusedAsAMisfit() throws SQLException {
        try (MariaDbScratch db = MariaDbScratch.create()) {
            Schema.install(db.dataSource(), Strategy.ADVISORY_LOCK);
            db.execute("CREATE UNIQUE INDEX lockstep_run_one_active_per_key ON lockstep_run (run_key)");
            assertThatThrownBy(() -> Coordinator.create(db.dataSource(), Strategy.RUNNING_AT_CREATION))
                    .isInstanceOfSatisfying(SchemaMismatchException.class, e -> assertThat(e.problems()).containsExactly(
                            "index lockstep_run_one_active_per_key is not unique, on lockstep_run (run_key) without a predicate;"
                                    + " it must be UNIQUE on lockstep_run (run_key) WHERE status IN ('running', 'paused')"));
        }
    }

    @Test
    void theAdvisoryLockNeedsTheKeyLockTable() throws SQLException {
        try (MariaDbScratch db = MariaDbScratch.create()) {
            Schema.install(db.dataSource(), Strategy.ADVISORY_LOCK);
            db.execute("DROP TABLE lockstep_key_lock");
            assertThatThrownBy(() -> Coordinator.create(db.dataSource(), Strategy.ADVISORY_LOCK))
                    .isInstanceOfSatisfying(SchemaMismatchException.class,
                            e -> assertThat(e.problems()).containsExactly("table lockstep_key_lock is missing"));
            assertThat(Coordinator.create(db.dataSource(), Strategy.ON_CONFLICT_LEASE).database()).isEqualTo(Database.MARIADB);
        }
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void keysThatDifferOnlyInCaseOrTrailingSpacesAreDifferentKeys(Strategy strategy) throws SQLException {
        try (MariaDbScratch db = MariaDbScratch.create()) {
            Coordinator runs = installed(db, strategy);
            List<Long> started = new ArrayList<>();
            for (String key : List.of("k1", "K1", "k1 ", "k1  ", "ｋ1")) {
                started.add(runs.begin(key, "deploy", "a").runId());
            }
            assertThat(started).doesNotHaveDuplicates().hasSize(5);
            assertThatThrownBy(() -> runs.begin("k1", "deploy", "b")).isInstanceOf(AlreadyActiveException.class);
            assertThatThrownBy(() -> runs.begin("k1 ", "deploy", "b")).isInstanceOf(AlreadyActiveException.class);
            assertThat(runs.activeRun("K1").orElseThrow().key()).isEqualTo("K1");
            assertThat(runs.activeRun("k1 ").orElseThrow().id()).isEqualTo(started.get(2));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = "UNSAFE_NAIVE_GUARD", mode = EnumSource.Mode.EXCLUDE)
    void theLifecycleOfEveryStrategy(Strategy strategy) throws SQLException {
        try (MariaDbScratch db = MariaDbScratch.create()) {
            Coordinator runs = installed(db, strategy);
            Run first = runs.create("repo/a", "build");
            Run second = runs.create("repo/a", "build");
            Claim claim = runs.start(first.id(), "x");
            assertThat(claim.fence()).isEqualTo(1);
            assertThatThrownBy(() -> runs.start(second.id(), "y")).isInstanceOfSatisfying(AlreadyActiveException.class,
                    e -> assertThat(e.holderId()).isEqualTo(first.id()));
            assertThat(runs.find(second.id()).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
            runs.heartbeat(claim);
            runs.pause(claim);
            Claim resumed = runs.resume(first.id(), "x2");
            assertThat(resumed.fence()).isGreaterThan(claim.fence());
            assertThatThrownBy(() -> runs.complete(claim)).isInstanceOf(StaleFenceException.class);
            runs.fail(resumed);
            Run third = runs.create("repo/a", "build");
            Run other = runs.create("repo/b", "build");
            Claim next = runs.claimNextPending("executor").orElseThrow();
            assertThat(next.runId()).isEqualTo(third.id());
            assertThat(runs.claimNextPending("executor").orElseThrow().runId()).isEqualTo(other.id());
            assertThat(runs.claimNextPending("executor")).isEmpty();
            assertThatThrownBy(() -> runs.resume(first.id(), "x3")).isInstanceOf(AlreadyActiveException.class);
            runs.complete(next);
            assertThat(runs.cancel(third.id()).cancelled()).isFalse();
            Claim again = runs.resume(first.id(), "x3");
            assertThat(again.fence()).isGreaterThan(resumed.fence());

            // an orphan: its last activity an hour ago by the database clock, so another owner takes it over
            db.execute("UPDATE lockstep_run SET last_activity_at = last_activity_at - 3600000 WHERE id = " + first.id());
            assertThat(runs.staleRuns(10)).extracting(Run::id).containsExactly(first.id());
            Claim takeover = runs.resume(first.id(), "rescuer");
            assertThat(takeover.fence()).isGreaterThan(again.fence());
            assertThatThrownBy(() -> runs.heartbeat(again)).isInstanceOf(StaleFenceException.class);
            assertThat(runs.cancel(first.id())).isEqualTo(new CancelOutcome(first.id(), true, RunStatus.RUNNING));
            assertThat(runs.begin("repo/a", "deploy", "z").runId()).isGreaterThan(other.id());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = "UNSAFE_NAIVE_GUARD", mode = EnumSource.Mode.EXCLUDE)
    void concurrentBeginsNeverOverlapOnAKey(Strategy strategy) throws Exception {
        int threads = 6;
        int rounds = 15;
        try (MariaDbScratch db = MariaDbScratch.create()) {
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
        try (MariaDbScratch db = MariaDbScratch.create()) {
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
    void aStartThatWaitsForALockTimesOutAndLeavesTheSessionAsItWas(Strategy strategy) throws Exception {
        try (MariaDbScratch db = MariaDbScratch.create()) {
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
    void theSmallerOfLockTimeoutAndTheSessionsTimeoutWinsAndTheSessionKeepsItsOwn() throws Exception {
        try (MariaDbScratch db = MariaDbScratch.create()) {
            Schema.install(db.dataSource(), Strategy.PENDING_INCLUSIVE_GUARD);
            Run run = Coordinator.create(db.dataSource(), Strategy.PENDING_INCLUSIVE_GUARD).create("repo/a", "build");
            try (Connection holder = db.dataSource().getConnection(); Statement s = holder.createStatement();
                    Connection caller = db.dataSource().getConnection(); Statement c = caller.createStatement()) {
                holder.setAutoCommit(false);
                s.execute("SELECT id FROM lockstep_run WHERE id = " + run.id() + " FOR UPDATE");
                Coordinator.Options options = Coordinator.Options.of(Strategy.PENDING_INCLUSIVE_GUARD);

                // the session says 1 s, lock-core 60 s: the session's wins
                c.execute("SET SESSION innodb_lock_wait_timeout = 1");
                Coordinator patient = Coordinator.create(new OneConnection(caller), options.withLockTimeout(Duration.ofSeconds(60)));
                long before = System.nanoTime();
                assertThatThrownBy(() -> patient.start(run.id(), "x")).isInstanceOf(LockTimeoutException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(30));
                assertThat(strings(caller, "SELECT @@session.innodb_lock_wait_timeout")).containsExactly("1");

                // the session says 100 s, lock-core 300 ms (1 s, InnoDB's least): lock-core's wins, on that statement only
                c.execute("SET SESSION innodb_lock_wait_timeout = 100");
                Coordinator hasty = Coordinator.create(new OneConnection(caller), options.withLockTimeout(Duration.ofMillis(300)));
                before = System.nanoTime();
                assertThatThrownBy(() -> hasty.start(run.id(), "x")).isInstanceOf(LockTimeoutException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(30));
                assertThat(strings(caller, "SELECT @@session.innodb_lock_wait_timeout")).containsExactly("100");
                holder.rollback();
            }
        }
    }

    @Test
    void theClockIsUtcEpochMillisWhateverTheSessionsTimeZone() throws SQLException {
        try (MariaDbScratch db = MariaDbScratch.create(); Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String zone : List.of("+05:00", "-11:00", "+00:00")) {
                s.execute("SET time_zone = '" + zone + "'");
                long before = System.currentTimeMillis();
                long now = Long.parseLong(strings(c, "SELECT " + Database.MARIADB.nowMillisSql()).get(0));
                long after = System.currentTimeMillis();
                assertThat(now).as(zone).isBetween(before - 1000, after + 1000);
            }
        }
    }

    private static Coordinator installed(MariaDbScratch db, Strategy strategy) {
        Schema.install(db.dataSource(), strategy);
        return Coordinator.create(db.dataSource(), strategy);
    }

    private static List<String> strings(MariaDbScratch db, String sql) throws SQLException {
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

    /** A DataSource that hands out one connection, never closing it: the caller's own session. */
    private record OneConnection(Connection connection) implements javax.sql.DataSource {
        @Override
        public Connection getConnection() {
            return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> method.getName().equals("close") ? null : invoke(method, args));
        }

        private Object invoke(java.lang.reflect.Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(connection, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        }

        @Override
        public Connection getConnection(String user, String password) {
            return getConnection();
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
