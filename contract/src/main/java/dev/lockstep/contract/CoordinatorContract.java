package dev.lockstep.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.CancelOutcome;
import dev.lockstep.core.Claim;
import dev.lockstep.core.ConflictPolicy;
import dev.lockstep.core.ContentionException;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.DatabaseException;
import dev.lockstep.core.InvalidTransitionException;
import dev.lockstep.core.NotResumableException;
import dev.lockstep.core.Run;
import dev.lockstep.core.RunNotFoundException;
import dev.lockstep.core.RunStatus;
import dev.lockstep.core.Schema;
import dev.lockstep.core.StaleFenceException;
import dev.lockstep.core.StartResult;
import dev.lockstep.core.Strategy;
import dev.lockstep.core.TableNames;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import dev.lockstep.testsupport.ExecutionLedger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every strategy keeps on every database, written once and subclassed once per
 * strategy × database (each subclass is a two-line fixture). Each subclass gets its own database;
 * every test starts from empty tables.
 *
 * <p>The unsafe naive guard runs the same suite: it keeps every sequential promise, and the
 * concurrent tests assert for it only what compare-and-swap alone guarantees (one winner per run),
 * reporting instead of asserting how often two runs of one key executed at once.
 *
 * <p>To run it against your own database server, extend it with the strategy and database kind you
 * use; the database comes from {@link TestDatabases#shared()}, so {@code LOCKSTEP_POSTGRES_URL} names
 * your PostgreSQL server, on which each fixture class creates a database of its own and drops it after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CoordinatorContract {

    private static final Duration STALE_AFTER = Duration.ofSeconds(30);
    private static final int FUZZ_THREADS = 8;
    private static final ConcurrentWorkers WORKERS = new ConcurrentWorkers(Duration.ofSeconds(120), Duration.ofSeconds(10));

    private final Strategy strategy;
    private final DatabaseKind kind;
    private final TableNames names;
    private TestDatabase database;
    /** The schema made for {@link #names}, dropped after the fixture. */
    private AutoCloseable schemaOfTables;
    private HikariDataSource pool;
    Coordinator runs;
    RawTables tables;
    private final AtomicInteger fixtureKeys = new AtomicInteger();

    protected CoordinatorContract(Strategy strategy, DatabaseKind kind) {
        this(strategy, kind, TableNames.DEFAULT);
    }

    /**
     * The contract on lock-core's tables named and placed as {@code names} says: a schema is made for the
     * fixture (on MariaDB a database beside the fixture's, dropped after it), the coordinators are given the
     * names, and the test's own SQL is sent with them.
     */
    protected CoordinatorContract(Strategy strategy, DatabaseKind kind, TableNames names) {
        this.strategy = strategy;
        this.kind = kind;
        this.names = names;
    }

    @BeforeAll
    void createDatabase() throws Exception {
        database = TestDatabases.shared().create(kind);
        schemaOfTables = TableSchemas.create(database, names);
        Schema.install(database.dataSource(), strategy, names);
        pool = pool(database);
        runs = Coordinator.create(pool, Coordinator.Options.of(strategy).withStaleAfter(STALE_AFTER).withTables(names));
        tables = new RawTables(pool, names);
    }

    /**
     * Pooled connections, as a service gives its coordinator: the test database opens a new physical
     * connection on every {@code getConnection()}, which on PostgreSQL costs tens of milliseconds and
     * made the fuzz test measure connection set-up instead of the strategy.
     */
    private HikariDataSource pool(TestDatabase database) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(database.dataSource());
        config.setPoolName("contract-" + strategy.label() + "-" + kind.name().toLowerCase(Locale.ROOT));
        config.setMaximumPoolSize(FUZZ_THREADS + 2); // every worker and the test's own checks at once
        return new HikariDataSource(config);
    }

    @AfterAll
    void dropDatabase() throws Exception {
        try {
            if (pool != null) {
                pool.close();
            }
            if (schemaOfTables != null) {
                schemaOfTables.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @BeforeEach
    void emptyTables() {
        tables.clear();
    }

    /** Whether the strategy promises one active run per key under concurrency (all but the naive guard). */
    private boolean exclusive() {
        return strategy.isSafe();
    }

    /**
     * Whether the strategy promises one active run per key to concurrent begins. Not the pending guard: a
     * begin's pending row gets its created_at when its insert runs and becomes visible when it commits, and
     * a busy machine can put another begin's whole guard between the two (its documented "pre-create that
     * commits late", inside one statement, so no interleaving of statements shows it; the README's bench
     * section reports it seen on PostgreSQL).
     */
    private boolean exclusiveForConcurrentBegins() {
        return exclusive() && strategy != Strategy.PENDING_INCLUSIVE_GUARD;
    }

    private RunStatus status(long runId) {
        return runs.find(runId).orElseThrow().status();
    }

    // ---------------------------------------------------------------------------------------------
    @Nested
    class Start {

        @Test
        void secondStartOnAHeldKeyIsRefusedNamingTheHolder() {
            Run first = runs.create("repo/a", "deploy");
            Run second = runs.create("repo/a", "deploy");

            Claim claim = runs.start(first.id(), "executor-1");

            assertThatThrownBy(() -> runs.start(second.id(), "executor-2"))
                    .isInstanceOfSatisfying(AlreadyActiveException.class, e -> {
                        assertThat(e.runId()).isEqualTo(second.id());
                        assertThat(e.holderId()).isEqualTo(first.id());
                        assertThat(e.holderStatus()).isEqualTo(RunStatus.RUNNING);
                        assertThat(e.holderOwner()).isEqualTo("executor-1");
                        assertThat(e.key()).isEqualTo("repo/a");
                        assertThat(e.getMessage()).contains("run " + first.id()).contains("running").contains("'repo/a'")
                                .contains("owner 'executor-1'");
                    });
            assertThat(claim.fence()).isEqualTo(1);
            assertThat(status(first.id())).isEqualTo(RunStatus.RUNNING);
            assertThat(status(second.id())).isEqualTo(RunStatus.CANCELLED);
        }

        @ParameterizedTest
        @ValueSource(strings = {"complete", "fail", "cancel"})
        void startSucceedsAgainOnceTheHolderHasStopped(String howTheHolderStops) {
            Claim holder = runs.begin("repo/a", "deploy", "executor-1");
            Run refused = runs.create("repo/a", "deploy");
            assertThatThrownBy(() -> runs.start(refused.id(), "executor-2")).isInstanceOf(AlreadyActiveException.class);

            switch (howTheHolderStops) {
                case "complete" -> runs.complete(holder);
                case "fail" -> runs.fail(holder);
                default -> assertThat(runs.cancel(holder.runId()).cancelled()).isTrue();
            }

            Run next = runs.create("repo/a", "deploy");
            Claim claim = runs.start(next.id(), "executor-2");
            assertThat(claim.runId()).isEqualTo(next.id());
            assertThat(status(next.id())).isEqualTo(RunStatus.RUNNING);
            assertThat(tables.count("status IN ('running', 'paused')")).isEqualTo(1);
        }

        @Test
        void differentKeysNeverInterfere() {
            Claim a = runs.begin("repo/a", "deploy", "executor-1");
            Claim b = runs.begin("repo/b", "deploy", "executor-1");
            Run c = runs.create("repo/c", "deploy");
            Claim cStarted = runs.start(c.id(), "executor-2");

            assertThat(List.of(a.runId(), b.runId(), cStarted.runId())).doesNotHaveDuplicates();
            assertThat(tables.count("status = 'running'")).isEqualTo(3);
        }

        @Test
        void failPolicyIsTheDefault() {
            runs.begin("repo/a", "deploy", "executor-1");
            Run second = runs.create("repo/a", "deploy");
            assertThatThrownBy(() -> runs.start(second.id(), "executor-2", ConflictPolicy.FAIL))
                    .isInstanceOf(AlreadyActiveException.class);
            assertThat(status(second.id())).isEqualTo(RunStatus.CANCELLED);
        }

        @Test
        void useExistingPolicyReturnsTheHolderAndStartsNothing() {
            Claim holder = runs.begin("repo/a", "deploy", "executor-1");
            Run second = runs.create("repo/a", "deploy");

            StartResult result = runs.start(second.id(), "executor-2", ConflictPolicy.USE_EXISTING);

            assertThat(result).isInstanceOfSatisfying(StartResult.Existing.class, existing -> {
                assertThat(existing.holder().id()).isEqualTo(holder.runId());
                assertThat(existing.holder().status()).isEqualTo(RunStatus.RUNNING);
            });
            assertThat(status(holder.runId())).isEqualTo(RunStatus.RUNNING);
            assertThat(status(second.id())).isEqualTo(RunStatus.CANCELLED);
        }

        @Test
        void cancelExistingPolicyCancelsTheHolderAndStarts() {
            Claim holder = runs.begin("repo/a", "deploy", "executor-1");
            Run second = runs.create("repo/a", "deploy");

            StartResult result = runs.start(second.id(), "executor-2", ConflictPolicy.CANCEL_EXISTING);

            assertThat(result).isInstanceOfSatisfying(StartResult.Started.class,
                    started -> assertThat(started.claim().runId()).isEqualTo(second.id()));
            assertThat(status(holder.runId())).isEqualTo(RunStatus.CANCELLED);
            assertThat(status(second.id())).isEqualTo(RunStatus.RUNNING);
            assertThat(tables.count("status IN ('running', 'paused')")).isEqualTo(1);
            assertThatThrownBy(() -> runs.complete(holder)).isInstanceOf(InvalidTransitionException.class);
        }

        @Test
        void beginWithCancelExistingReplacesAPausedHolder() {
            Claim holder = runs.begin("repo/a", "deploy", "executor-1");
            runs.pause(holder);

            StartResult result = runs.begin("repo/a", "deploy", "executor-2", ConflictPolicy.CANCEL_EXISTING);

            assertThat(result).isInstanceOf(StartResult.Started.class);
            assertThat(status(holder.runId())).isEqualTo(RunStatus.CANCELLED);
            assertThat(tables.count("status IN ('running', 'paused')")).isEqualTo(1);
        }

        @Test
        void beginOnAHeldKeyIsRefusedAndLeavesNoSecondActiveRun() {
            Claim holder = runs.begin("repo/a", "deploy", "executor-1");

            assertThatThrownBy(() -> runs.begin("repo/a", "deploy", "executor-2"))
                    .isInstanceOfSatisfying(AlreadyActiveException.class, e -> {
                        assertThat(e.holderId()).isEqualTo(holder.runId());
                        assertThat(e.holderStatus()).isEqualTo(RunStatus.RUNNING);
                        assertThat(e.holderOwner()).isEqualTo("executor-1");
                        // a refusal is an answer on the hot path: no stack trace is recorded for it
                        assertThat(e.getStackTrace()).isEmpty();
                    });
            assertThat(tables.count("status IN ('running', 'paused', 'pending')")).isEqualTo(1);
        }

        @Test
        void aPausedRunStillHoldsItsKey() {
            Claim holder = runs.begin("repo/a", "deploy", "executor-1");
            runs.pause(holder);

            assertThatThrownBy(() -> runs.begin("repo/a", "deploy", "executor-2"))
                    .isInstanceOfSatisfying(AlreadyActiveException.class,
                            e -> assertThat(e.holderStatus()).isEqualTo(RunStatus.PAUSED));
        }
    }

    // ---------------------------------------------------------------------------------------------
    /**
     * A begin creates exactly one run, and never leaves one pending: one commit under every strategy but
     * the pending-inclusive guard, whose refused or failed begin leaves its own run cancelled.
     */
    @Nested
    class Begin {

        private boolean twoPhases() {
            return strategy == Strategy.PENDING_INCLUSIVE_GUARD;
        }

        /**
         * A strategy that locks the key refuses a begin on a key it sees held without queueing for the key's
         * lock. Here another connection holds that lock (the advisory lock or the lease row on PostgreSQL,
         * the write lock on SQLite) while the holder runs: a begin that waited for it would end in a
         * {@link dev.lockstep.core.LockTimeoutException} after 100 ms instead of naming the holder. On
         * SQLite, refusals that each took the write lock kept the holder's complete waiting in the busy
         * handler: 1 claim/s at 4 threads on one key in {@code lockstep bench}.
         */
        @Test
        void aBeginOnAHeldKeyIsRefusedWithoutWaitingForTheKeysLock() throws Exception {
            Assumptions.assumeTrue(strategy == Strategy.ADVISORY_LOCK || strategy == Strategy.ON_CONFLICT_LEASE,
                    "only the advisory lock and the lease lock the key outside the runs table");
            Coordinator impatient = Coordinator.create(pool, Coordinator.Options.of(strategy)
                    .withStaleAfter(STALE_AFTER).withLockTimeout(Duration.ofMillis(100)).withSchemaCheck(false).withTables(names));
            Claim holder = runs.begin("repo/a", "deploy", "executor-1");

            try (java.sql.Connection other = database.dataSource().getConnection();
                    java.sql.Statement lock = other.createStatement()) {
                if (kind == DatabaseKind.SQLITE) {
                    lock.execute("BEGIN IMMEDIATE");
                } else if (kind == DatabaseKind.MARIADB) {
                    other.setAutoCommit(false);
                    lock.execute(names.rename(strategy == Strategy.ADVISORY_LOCK
                            ? "select * from lockstep_key_lock where lock_hash = unhex(sha2(concat('lockstep', char(0), 'repo/a'), 256)) for update"
                            : "select * from lockstep_lease where lease_hash = unhex(sha2('repo/a', 256)) for update"));
                } else {
                    other.setAutoCommit(false);
                    lock.execute(names.rename(strategy == Strategy.ADVISORY_LOCK
                            ? "select pg_advisory_xact_lock(" + Coordinator.Options.of(strategy).advisoryLockId("repo/a") + ")"
                            : "select * from lockstep_lease where lease_key = 'repo/a' for update"));
                }

                assertThatThrownBy(() -> impatient.begin("repo/a", "deploy", "executor-2"))
                        .isInstanceOfSatisfying(AlreadyActiveException.class, e -> {
                            assertThat(e.holderId()).isEqualTo(holder.runId());
                            assertThat(e.holderOwner()).isEqualTo("executor-1");
                        });
                lock.execute(kind == DatabaseKind.SQLITE ? "ROLLBACK" : "rollback");
            }
            assertThat(tables.count("status IN ('running', 'paused', 'pending')")).isEqualTo(1);
        }

        @Test
        void aRefusedBeginLeavesNoRunOrACancelledOneAndNothingPending() {
            Claim holder = runs.begin("repo/a", "deploy", "executor-1");

            assertThatThrownBy(() -> runs.begin("repo/a", "deploy", "executor-2"))
                    .isInstanceOfSatisfying(AlreadyActiveException.class, e -> {
                        assertThat(e.holderId()).isEqualTo(holder.runId());
                        assertThat(e.holderStatus()).isEqualTo(RunStatus.RUNNING);
                        assertThat(e.refusedRunCancelled()).isEqualTo(twoPhases());
                        if (twoPhases()) {
                            assertThat(status(e.runId())).isEqualTo(RunStatus.CANCELLED);
                            assertThat(e.getMessage()).contains("run " + e.runId() + " was not started and is now cancelled");
                        } else {
                            assertThat(e.runId()).isZero();
                            assertThat(e.getMessage()).contains("no run was created");
                        }
                    });
            StartResult existing = runs.begin("repo/a", "deploy", "executor-3", ConflictPolicy.USE_EXISTING);

            assertThat(existing).isInstanceOfSatisfying(StartResult.Existing.class,
                    e -> assertThat(e.holder().id()).isEqualTo(holder.runId()));
            assertThat(tables.count("status = 'pending'")).isZero();
            assertThat(tables.count("status = 'cancelled'")).isEqualTo(twoPhases() ? 2 : 0);
            assertThat(tables.count("1 = 1")).isEqualTo(twoPhases() ? 3 : 1);
        }

        @Test
        void aBeginThatFailsAfterItsInsertLeavesNothingPendingAndTheKeyFree() throws Exception {
            try (AutoCloseable failing = tables.failEveryStart(kind, "P0001")) {
                assertThatThrownBy(() -> runs.begin("repo/a", "deploy", "executor-1"))
                        .isInstanceOf(DatabaseException.class).hasMessageContaining("forced failure");
            }

            assertThat(tables.count("status IN ('pending', 'running')")).isZero();
            assertThat(tables.count("1 = 1")).as("the pending guard's own row, cancelled; no row elsewhere").isEqualTo(twoPhases() ? 1 : 0);
            assertThat(tables.query("SELECT lease_key FROM lockstep_lease WHERE run_id IS NOT NULL")).isEmpty();
            Claim next = runs.begin("repo/a", "deploy", "executor-2");
            assertThat(status(next.runId())).isEqualTo(RunStatus.RUNNING);
        }

        @Test
        void claimNextNeverTakesABeginsRun() throws Exception {
            List<String> keys = List.of("repo/a", "repo/b", "repo/c");
            Set<Long> created = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                created.add(runs.create(keys.get(i % keys.size()), "job-" + i).id());
            }
            int beginsPerWorker = 60;
            Set<Long> begun = ConcurrentHashMap.newKeySet();
            Set<Long> refusedAndCancelled = ConcurrentHashMap.newKeySet();
            List<Long> claimed = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger beginnersDone = new AtomicInteger();

            WORKERS.run(4, (worker, stop) -> {
                if (worker < 2) {
                    // past its share, a beginner goes on until some begin got a run: while the pending runs created
                    // above last, the pending-inclusive guard refuses every begin, and on a loaded machine the
                    // beginners can use up their share before the claimers have taken them all
                    for (int i = 0; (i < beginsPerWorker || begun.isEmpty()) && !stop.requested(); i++) {
                        try {
                            Claim claim = runs.begin(keys.get(i % keys.size()), "begun", "beginner-" + worker);
                            begun.add(claim.runId());
                            runs.complete(claim);
                        } catch (AlreadyActiveException refused) {
                            if (refused.runId() != 0) {
                                refusedAndCancelled.add(refused.runId());
                            }
                        }
                    }
                    beginnersDone.incrementAndGet();
                    return null;
                }
                // a claim is tried only while some run is pending (a read, which in WAL mode takes no lock): claimers
                // trying over and over would hold SQLite's one write lock so often that, on a loaded machine, a begin
                // could wait past the busy timeout
                while (!stop.requested() && (beginnersDone.get() < 2 || tables.count("status = 'pending'") > 0)) {
                    if (tables.count("status = 'pending'") > 0) {
                        runs.claimNextPending("executor-" + worker).ifPresent(claim -> {
                            claimed.add(claim.runId());
                            runs.complete(claim);
                        });
                    }
                }
                return null;
            });

            assertThat(claimed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
            assertThat(begun).doesNotContainAnyElementsOf(claimed).isNotEmpty();
            if (!twoPhases()) {
                assertThat(refusedAndCancelled).as("a refused begin that commits once leaves no row").isEmpty();
            }
            assertThat(tables.count("status = 'cancelled'")).isEqualTo(refusedAndCancelled.size());
            assertThat(tables.count("1 = 1")).isEqualTo(created.size() + begun.size() + refusedAndCancelled.size());
            assertThat(tables.count("status = 'pending'")).isZero();
        }

        @Test
        void aCallTheDatabaseKeepsAbortingGivesUpTypedAndLeavesNothingPending() throws Exception {
            Assumptions.assumeTrue(kind != DatabaseKind.SQLITE,
                    "SQLite has no serialization failures or deadlocks: its transactions take the one write lock up front");
            Run run = runs.create("repo/a", "deploy");

            try (AutoCloseable aborting = tables.failEveryStart(kind, "40001")) {
                assertThatThrownBy(() -> runs.start(run.id(), "executor-1"))
                        .isInstanceOfSatisfying(ContentionException.class, e -> {
                            assertThat(e.operation()).isEqualTo("start");
                            assertThat(e.runId()).isEqualTo(run.id());
                            assertThat(e.key()).contains("repo/a");
                            assertThat(e.attempts()).isGreaterThan(1);
                            assertThat(e.lastSqlState()).contains("40001");
                            assertThat(e.getMessage()).contains("start of run " + run.id() + " on key 'repo/a' gave up after")
                                    .contains("SQLSTATE 40001");
                        });
                assertThatThrownBy(() -> runs.begin("repo/b", "deploy", "executor-1"))
                        .isInstanceOfSatisfying(ContentionException.class, e -> {
                            assertThat(e.operation()).isEqualTo("begin");
                            assertThat(e.key()).contains("repo/b");
                            assertThat(e.lastSqlState()).contains("40001");
                            assertThat(e.runId() == 0).isEqualTo(!twoPhases());
                        });
            }

            assertThat(status(run.id())).isEqualTo(RunStatus.PENDING);
            assertThat(tables.count("run_key = 'repo/b' AND status <> 'cancelled'")).isZero();
            assertThat(tables.count("run_key = 'repo/b'")).isEqualTo(twoPhases() ? 1 : 0);
        }

        @Test
        void aCallerInterruptedWhileTheDatabaseAbortsItStopsRetryingAndKeepsItsInterruptStatus() throws Exception {
            Assumptions.assumeTrue(kind != DatabaseKind.SQLITE,
                    "SQLite has no serialization failures or deadlocks: its transactions take the one write lock up front");
            Run run = runs.create("repo/a", "deploy");

            try (AutoCloseable aborting = tables.failEveryStart(kind, "40001")) {
                Thread.currentThread().interrupt(); // seen by the pause before the first retry
                try {
                    assertThatThrownBy(() -> runs.start(run.id(), "executor-1"))
                            .isInstanceOfSatisfying(ContentionException.class, e -> {
                                assertThat(e.attempts()).isEqualTo(1);
                                assertThat(e.lastSqlState()).contains("40001");
                            });
                } finally {
                    assertThat(Thread.interrupted()).as("the caller's interrupt status is kept").isTrue();
                }
            }

            assertThat(status(run.id())).isEqualTo(RunStatus.PENDING);
        }
    }

    // ---------------------------------------------------------------------------------------------
    @Nested
    class Resume {

        @Test
        void aStaleRunningOrphanIsTakenOverAndItsFenceGrows() {
            Claim orphan = runs.begin("repo/a", "deploy", "executor-1");
            tables.backdateActivity(orphan.runId(), STALE_AFTER.toMillis() * 2);

            Claim taken = runs.resume(orphan.runId(), "executor-2");

            assertThat(taken.fence()).isGreaterThan(orphan.fence());
            assertThat(taken.owner()).isEqualTo("executor-2");
            Run run = runs.find(orphan.runId()).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(run.owner()).contains("executor-2");
            assertThat(run.fence()).isEqualTo(taken.fence());
        }

        @Test
        void aFailedRunResumes() {
            Claim first = runs.begin("repo/a", "deploy", "executor-1");
            runs.fail(first);

            Claim resumed = runs.resume(first.runId(), "executor-2");

            assertThat(resumed.fence()).isGreaterThan(first.fence());
            assertThat(status(first.runId())).isEqualTo(RunStatus.RUNNING);
        }

        @Test
        void aPausedRunResumes() {
            Claim first = runs.begin("repo/a", "deploy", "executor-1");
            runs.pause(first);

            Claim resumed = runs.resume(first.runId(), "executor-1");

            assertThat(resumed.fence()).isGreaterThan(first.fence());
            assertThat(status(first.runId())).isEqualTo(RunStatus.RUNNING);
            runs.complete(resumed);
            assertThat(status(first.runId())).isEqualTo(RunStatus.COMPLETED);
        }

        @Test
        void aFreshRunningRunIsRefusedWithItsStatus() {
            Claim running = runs.begin("repo/a", "deploy", "executor-1");
            tables.backdateActivity(running.runId(), STALE_AFTER.toMillis() / 2);
            List<List<Object>> before = tables.snapshot();

            assertThatThrownBy(() -> runs.resume(running.runId(), "executor-2"))
                    .isInstanceOfSatisfying(NotResumableException.class, e -> {
                        assertThat(e.status()).isEqualTo(RunStatus.RUNNING);
                        assertThat(e.runId()).isEqualTo(running.runId());
                    });
            assertThat(tables.snapshot()).isEqualTo(before);
        }

        @ParameterizedTest
        @EnumSource(value = RunStatus.class, names = {"COMPLETED", "CANCELLED", "PENDING"})
        void finishedAndNeverStartedRunsAreRefused(RunStatus status) {
            long runId = runIn(status);
            List<List<Object>> before = tables.snapshot();

            assertThatThrownBy(() -> runs.resume(runId, "executor-2"))
                    .isInstanceOfSatisfying(NotResumableException.class, e -> assertThat(e.status()).isEqualTo(status));
            assertThat(tables.snapshot()).isEqualTo(before);
        }

        @Test
        void aMissingRunIsNotFound() {
            assertThatThrownBy(() -> runs.resume(424242, "executor-1"))
                    .isInstanceOfSatisfying(RunNotFoundException.class, e -> assertThat(e.runId()).isEqualTo(424242));
        }

        @Test
        void resumeIsRefusedWhileAnotherRunHoldsTheKey() {
            Claim failed = runs.begin("repo/a", "deploy", "executor-1");
            runs.fail(failed);
            Claim holder = runs.begin("repo/a", "deploy", "executor-2");

            assertThatThrownBy(() -> runs.resume(failed.runId(), "executor-1"))
                    .isInstanceOfSatisfying(AlreadyActiveException.class, e -> {
                        assertThat(e.holderId()).isEqualTo(holder.runId());
                        assertThat(e.refusedRunCancelled()).isFalse();
                    });
            assertThat(status(failed.runId())).isEqualTo(RunStatus.FAILED);
            assertThat(status(holder.runId())).isEqualTo(RunStatus.RUNNING);
        }

        @Test
        void ofTwoConcurrentResumesOfOneRunExactlyOneWins() throws Exception {
            for (int round = 0; round < 20; round++) {
                Claim first = runs.begin("repo/" + round, "deploy", "executor-0");
                runs.fail(first);

                List<Object> outcomes = WORKERS.run(2, (worker, stop) -> {
                    try {
                        return runs.resume(first.runId(), "executor-" + worker);
                    } catch (NotResumableException e) {
                        return e;
                    }
                });

                assertThat(outcomes).filteredOn(Claim.class::isInstance).hasSize(1);
                assertThat(outcomes).filteredOn(NotResumableException.class::isInstance).hasSize(1)
                        .allSatisfy(e -> assertThat(((NotResumableException) e).status()).isEqualTo(RunStatus.RUNNING));
                assertThat(status(first.runId())).isEqualTo(RunStatus.RUNNING);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    @Nested
    class Cancel {

        @ParameterizedTest
        @EnumSource(value = RunStatus.class, names = {"PENDING", "RUNNING", "PAUSED", "FAILED"})
        void aNonTerminalRunIsCancelledAndTheStatusSeenReported(RunStatus status) {
            long runId = runIn(status);

            CancelOutcome outcome = runs.cancel(runId);

            assertThat(outcome).isEqualTo(new CancelOutcome(runId, true, status));
            Run run = runs.find(runId).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(run.completedAt()).isPresent();
        }

        @ParameterizedTest
        @EnumSource(value = RunStatus.class, names = {"COMPLETED", "CANCELLED"})
        void aTerminalRunIsLeftAloneWithoutAnException(RunStatus status) {
            long runId = runIn(status);
            Run before = runs.find(runId).orElseThrow();
            List<List<Object>> rowsBefore = tables.snapshot();

            CancelOutcome outcome = runs.cancel(runId);

            assertThat(outcome).isEqualTo(new CancelOutcome(runId, false, status));
            Run after = runs.find(runId).orElseThrow();
            assertThat(after.completedAt()).isEqualTo(before.completedAt());
            assertThat(tables.snapshot()).isEqualTo(rowsBefore);
        }

        @Test
        void cancellingTheHolderFreesTheKey() {
            Claim holder = runs.begin("repo/a", "deploy", "executor-1");
            runs.cancel(holder.runId());

            Claim next = runs.begin("repo/a", "deploy", "executor-2");

            assertThat(status(next.runId())).isEqualTo(RunStatus.RUNNING);
        }

        @Test
        void aMissingRunIsNotFound() {
            assertThatThrownBy(() -> runs.cancel(424242)).isInstanceOf(RunNotFoundException.class);
        }
    }

    // ---------------------------------------------------------------------------------------------
    @Nested
    class Fencing {

        @Test
        void afterATakeoverTheOldClaimIsRefusedAndTheNewOneWorks() {
            Claim zombie = runs.begin("repo/a", "deploy", "executor-1");
            tables.backdateActivity(zombie.runId(), STALE_AFTER.toMillis() * 2);
            Claim successor = runs.resume(zombie.runId(), "executor-2");
            List<List<Object>> before = tables.snapshot();

            assertThatThrownBy(() -> runs.heartbeat(zombie))
                    .isInstanceOfSatisfying(StaleFenceException.class, e -> {
                        assertThat(e.claim()).isEqualTo(zombie);
                        assertThat(e.currentFence()).isEqualTo(successor.fence());
                    });
            assertThatThrownBy(() -> runs.complete(zombie)).isInstanceOf(StaleFenceException.class);
            assertThatThrownBy(() -> runs.fail(zombie)).isInstanceOf(StaleFenceException.class);
            assertThat(tables.snapshot()).isEqualTo(before);

            runs.heartbeat(successor);
            runs.complete(successor);
            assertThat(status(zombie.runId())).isEqualTo(RunStatus.COMPLETED);
        }

        @Test
        void heartbeatRefreshesLastActivityByTheDatabaseClock() {
            Claim claim = runs.begin("repo/a", "deploy", "executor-1");
            tables.backdateActivity(claim.runId(), 60_000);
            Run before = runs.find(claim.runId()).orElseThrow();

            runs.heartbeat(claim);

            Run after = runs.find(claim.runId()).orElseThrow();
            assertThat(after.lastActivityAt().orElseThrow())
                    .isAfterOrEqualTo(before.lastActivityAt().orElseThrow().plusSeconds(59));
        }
    }

    // ---------------------------------------------------------------------------------------------
    @Nested
    class ClaimNextPending {

        @Test
        void nothingPendingMeansEmpty() {
            assertThat(runs.claimNextPending("executor-1")).isEmpty();
        }

        @Test
        void theOldestPendingRunOfAFreeKeyIsClaimed() {
            Claim holder = runs.begin("repo/busy", "deploy", "executor-0");
            Run queuedBehindHolder = runs.create("repo/busy", "deploy");
            Run first = runs.create("repo/free", "deploy");
            runs.create("repo/free", "deploy");

            Claim claim = runs.claimNextPending("executor-1").orElseThrow();

            assertThat(claim.runId()).isEqualTo(first.id());
            assertThat(status(queuedBehindHolder.id())).isEqualTo(RunStatus.PENDING);
            assertThat(status(holder.runId())).isEqualTo(RunStatus.RUNNING);
        }

        @Test
        void fourExecutorsClaimEveryRunExactlyOnce() throws Exception {
            int keys = 20;
            int pending = 200;
            for (int i = 0; i < pending; i++) {
                runs.create("repo/" + (i % keys), "job-" + i);
            }
            Map<Long, AtomicInteger> claims = new ConcurrentHashMap<>();
            ExecutionLedger ledger = new ExecutionLedger();

            WORKERS.run(4, (worker, stop) -> {
                while (!stop.requested()
                        && (tables.count("status = 'pending'") > 0 || tables.count("status = 'running'") > 0)) {
                    var claim = runs.claimNextPending("executor-" + worker);
                    if (claim.isPresent()) {
                        claims.computeIfAbsent(claim.get().runId(), id -> new AtomicInteger()).incrementAndGet();
                        ledger.enter(claim.get().key());
                        runs.heartbeat(claim.get());
                        ledger.leave(claim.get().key());
                        runs.complete(claim.get());
                    }
                }
                return null;
            });

            assertThat(claims).hasSize(pending);
            assertThat(claims.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
            assertThat(tables.count("status = 'completed'")).isEqualTo(pending);
            if (exclusive()) {
                assertThat(ledger.maxConcurrentPerKey()).isEqualTo(1);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    @Nested
    class Fuzz {

        @Test
        void eightThreadsFourKeysTwoThousandBegins() throws Exception {
            int attempts = 2_000;
            int threads = FUZZ_THREADS;
            List<String> keys = List.of("repo/a", "repo/b", "repo/c", "repo/d");
            AtomicInteger issued = new AtomicInteger();
            LongAdder successes = new LongAdder();
            LongAdder rejections = new LongAdder();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutionLedger ledger = new ExecutionLedger();

            long started = System.nanoTime();
            WORKERS.run(threads, (worker, stop) -> {
                Random random = new Random(worker);
                while (!stop.requested() && issued.getAndIncrement() < attempts) {
                    String key = keys.get(random.nextInt(keys.size()));
                    try {
                        Claim claim = runs.begin(key, "fuzz", "executor-" + worker);
                        successes.increment();
                        ledger.enter(key);
                        runs.heartbeat(claim); // executing is real work: at least one round trip while holding the key
                        ledger.leave(key);
                        runs.complete(claim);
                    } catch (AlreadyActiveException e) {
                        rejections.increment();
                    } catch (RuntimeException e) {
                        errors.add(e);
                    }
                }
                return null;
            });
            long millis = (System.nanoTime() - started) / 1_000_000;

            String figures = String.format("fuzz %-20s %-10s attempts=%d successes=%d rejections=%d errors=%d "
                            + "max-concurrent-per-key=%d double-executions=%d time=%dms",
                    strategy.label(), kind, attempts, successes.sum(), rejections.sum(), errors.size(),
                    ledger.maxConcurrentPerKey(), ledger.violations(), millis);
            report(figures);

            assertThat(errors).as("unexpected failures").isEmpty();
            assertThat(successes.sum() + rejections.sum()).isEqualTo(attempts);
            assertThat(successes.sum()).isPositive();
            if (exclusiveForConcurrentBegins()) {
                assertThat(ledger.maxConcurrentPerKey()).isEqualTo(1);
                assertThat(ledger.violations()).isZero();
            }
            assertThat(tables.count("status IN ('running', 'paused')")).isZero();
        }
    }

    // ---------------------------------------------------------------------------------------------
    @Nested
    class BadInput {

        private List<List<Object>> before;
        private long running;

        @BeforeEach
        void someRowsToProtect() {
            running = runIn(RunStatus.RUNNING);
            runIn(RunStatus.COMPLETED);
            runIn(RunStatus.PENDING);
            before = tables.snapshot();
        }

        private void assertUnchanged() {
            assertThat(tables.snapshot()).isEqualTo(before);
        }

        @Test
        void nullKeysAreRefused() {
            assertThatThrownBy(() -> runs.create(null, "deploy")).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
            assertThatThrownBy(() -> runs.begin(null, "deploy", "executor-1")).isInstanceOf(NullPointerException.class).hasMessageContaining("key");
            assertUnchanged();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\t \t"})
        void blankKeysAreRefused(String key) {
            assertThatThrownBy(() -> runs.create(key, "deploy")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
            assertThatThrownBy(() -> runs.begin(key, "deploy", "executor-1")).isInstanceOf(IllegalArgumentException.class);
            assertUnchanged();
        }

        @Test
        void keysOverTheLimitAreRefusedAndTheLimitItselfIsAccepted() {
            String tooLong = "k".repeat(1025);
            assertThatThrownBy(() -> runs.create(tooLong, "deploy"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1025").hasMessageContaining("1024");
            assertThatThrownBy(() -> runs.begin(tooLong, "deploy", "executor-1")).isInstanceOf(IllegalArgumentException.class);
            assertUnchanged();

            String longest = "\u00e9".repeat(1024);
            assertThat(runs.find(runs.create(longest, "deploy").id()).orElseThrow().key()).isEqualTo(longest);
        }

        @ParameterizedTest
        @ValueSource(strings = {"repo\na", "repo\u0000a", "\u0007bell", "tab\there", "del\u007f"})
        void controlCharactersInKeysAreRefused(String key) {
            assertThatThrownBy(() -> runs.create(key, "deploy")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control character");
            assertThatThrownBy(() -> runs.begin(key, "deploy", "executor-1")).isInstanceOf(IllegalArgumentException.class);
            assertUnchanged();
        }

        @ParameterizedTest
        @ValueSource(strings = {"a\ud800b", "a\udc00b", "ends with \ud83d", "\ude80starts", "\ude80\ud83d"})
        void loneSurrogatesInKeysNamesAndOwnersAreRefused(String text) {
            assertThatThrownBy(() -> runs.create(text, "deploy")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("key contains the lone UTF-16 surrogate");
            assertThatThrownBy(() -> runs.begin(text, "deploy", "executor-1")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("key contains the lone UTF-16 surrogate");
            assertThatThrownBy(() -> runs.begin("repo/a", text, "executor-1")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("name contains the lone UTF-16 surrogate");
            assertThatThrownBy(() -> runs.start(running, text)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("owner contains the lone UTF-16 surrogate");
            assertUnchanged();
        }

        /**
         * A key is its exact text: a database whose default collation ignores case or trailing spaces
         * (MariaDB's) must still keep these apart, in the runs, the unique index, the locks and the lease.
         */
        @Test
        void keysThatDifferOnlyInCaseOrTrailingSpacesAreDifferentKeys() {
            List<String> keys = List.of("repo/k1", "repo/K1", "repo/k1 ", "repo/k1  ", "REPO/K1", "repo/\uff4b1");
            List<Claim> claims = new ArrayList<>();
            for (String key : keys) {
                claims.add(runs.begin(key, "deploy", "executor-1"));
            }
            List<Long> begun = claims.stream().map(Claim::runId).toList();

            assertThat(begun).doesNotHaveDuplicates();
            for (int i = 0; i < keys.size(); i++) {
                String key = keys.get(i);
                assertThat(runs.activeRun(key).orElseThrow().id()).as(key).isEqualTo(begun.get(i));
                assertThat(runs.find(begun.get(i)).orElseThrow().key()).isEqualTo(key);
                assertThatThrownBy(() -> runs.begin(key, "deploy", "executor-2")).isInstanceOfSatisfying(AlreadyActiveException.class,
                        e -> assertThat(e.holderId()).isEqualTo(begun.get(keys.indexOf(key))));
            }
            Run pending = runs.create("repo/k1 ", "deploy");
            runs.complete(claims.get(0));
            assertThatThrownBy(() -> runs.start(pending.id(), "executor-2")).as("'repo/k1 ' is still held, though 'repo/k1' is free")
                    .isInstanceOf(AlreadyActiveException.class);
            assertThat(runs.begin("repo/k1", "deploy", "executor-3").runId()).isNotIn(begun);
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "'; DROP TABLE lockstep_run; --",
            "\" OR 1=1 --",
            "100%_done\\",
            "$1 ? :name {0} ${x}",
            "/srv/work/\u00fcber \ud83d\ude80/repo",
            "a' || (SELECT pg_sleep(5)) || '"})
        void keysFullOfSqlMetacharactersRoundTripExactly(String key) {
            Claim claim = runs.begin(key, "deploy", "executor-1");

            assertThat(runs.find(claim.runId()).orElseThrow().key()).isEqualTo(key);
            assertThat(runs.activeRun(key).orElseThrow().id()).isEqualTo(claim.runId());
            assertThatThrownBy(() -> runs.begin(key, "deploy", "executor-2")).isInstanceOf(AlreadyActiveException.class);
            runs.complete(claim);
            assertThat(runs.find(claim.runId()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
        }

        @Test
        void blankOrNullNamesAndOwnersAreRefused() {
            assertThatThrownBy(() -> runs.create("repo/a", " ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
            assertThatThrownBy(() -> runs.create("repo/a", null)).isInstanceOf(NullPointerException.class).hasMessageContaining("name");
            assertThatThrownBy(() -> runs.begin("repo/a", "deploy", "")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner");
            assertThatThrownBy(() -> runs.resume(running, null)).isInstanceOf(NullPointerException.class).hasMessageContaining("owner");
            assertThatThrownBy(() -> runs.start(running, "x".repeat(201))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner");
            assertThatThrownBy(() -> runs.heartbeat(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("claim");
            assertThatThrownBy(() -> runs.start(running, "executor-1", null)).isInstanceOf(NullPointerException.class).hasMessageContaining("policy");
            assertUnchanged();
        }

        @Test
        void unknownRunIdsAreNotFound() {
            long unknown = 987_654_321L;
            Claim forged = new Claim(unknown, "repo/a", "executor-1", 1);

            assertThatThrownBy(() -> runs.start(unknown, "executor-1")).isInstanceOf(RunNotFoundException.class);
            assertThatThrownBy(() -> runs.resume(unknown, "executor-1")).isInstanceOf(RunNotFoundException.class);
            assertThatThrownBy(() -> runs.cancel(unknown)).isInstanceOf(RunNotFoundException.class);
            assertThatThrownBy(() -> runs.heartbeat(forged)).isInstanceOf(RunNotFoundException.class);
            assertThatThrownBy(() -> runs.complete(forged)).isInstanceOf(RunNotFoundException.class);
            assertThat(runs.find(unknown)).isEmpty();
            assertUnchanged();
        }

        @ParameterizedTest
        @EnumSource(value = RunStatus.class, names = {"RUNNING", "PAUSED", "FAILED", "COMPLETED", "CANCELLED"})
        void startIsRefusedUnlessPending(RunStatus status) {
            long runId = runIn(status);
            List<List<Object>> rows = tables.snapshot();

            assertThatThrownBy(() -> runs.start(runId, "executor-2"))
                    .isInstanceOfSatisfying(InvalidTransitionException.class, e -> {
                        assertThat(e.status()).isEqualTo(status);
                        assertThat(e.operation()).isEqualTo("start");
                    });
            assertThat(tables.snapshot()).isEqualTo(rows);
        }

        @ParameterizedTest
        @EnumSource(value = RunStatus.class, names = {"PAUSED", "FAILED", "COMPLETED", "CANCELLED"})
        void holderWritesAreRefusedUnlessRunning(RunStatus status) {
            Claim claim = runs.begin("repo/holder-writes", "deploy", "executor-1");
            switch (status) {
                case PAUSED -> runs.pause(claim);
                case FAILED -> runs.fail(claim);
                case COMPLETED -> runs.complete(claim);
                default -> runs.cancel(claim.runId());
            }
            List<List<Object>> rows = tables.snapshot();

            for (Runnable write : List.<Runnable>of(
                    () -> runs.heartbeat(claim), () -> runs.pause(claim), () -> runs.complete(claim), () -> runs.fail(claim))) {
                assertThatThrownBy(write::run)
                        .isInstanceOfSatisfying(InvalidTransitionException.class, e -> assertThat(e.status()).isEqualTo(status));
            }
            assertThat(tables.snapshot()).isEqualTo(rows);
        }

        @Test
        void aClaimFromAnotherRunIsRefused() {
            Claim mine = runs.begin("repo/mine", "deploy", "executor-1");
            Claim theirs = runs.begin("repo/theirs", "deploy", "executor-2");
            List<List<Object>> rows = tables.snapshot();
            Claim mixed = new Claim(theirs.runId(), mine.key(), mine.owner(), mine.fence());

            assertThatThrownBy(() -> runs.complete(mixed)).isInstanceOf(StaleFenceException.class);
            assertThatThrownBy(() -> runs.heartbeat(mixed)).isInstanceOf(StaleFenceException.class);
            assertThatThrownBy(() -> runs.pause(new Claim(theirs.runId(), theirs.key(), mine.owner(), theirs.fence())))
                    .isInstanceOf(StaleFenceException.class);
            assertThat(tables.snapshot()).isEqualTo(rows);
        }

        @Test
        void aStaleFenceIsRefused() {
            Claim claim = runs.begin("repo/fenced", "deploy", "executor-1");
            runs.pause(claim);
            Claim resumed = runs.resume(claim.runId(), "executor-1");
            List<List<Object>> rows = tables.snapshot();

            assertThatThrownBy(() -> runs.complete(claim))
                    .isInstanceOfSatisfying(StaleFenceException.class, e -> assertThat(e.currentFence()).isEqualTo(resumed.fence()));
            assertThatThrownBy(() -> runs.complete(new Claim(claim.runId(), claim.key(), claim.owner(), resumed.fence() + 1)))
                    .isInstanceOf(StaleFenceException.class);
            assertThat(tables.snapshot()).isEqualTo(rows);
        }

        @Test
        void optionsRejectContradictionsNamingTheSetting() {
            assertThatThrownBy(() -> Coordinator.Options.of(strategy).withStaleAfter(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("staleAfter");
            assertThatThrownBy(() -> Coordinator.Options.of(strategy).withLockTimeout(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lockTimeout");
            assertThatThrownBy(() -> Coordinator.Options.of(strategy).withLockNamespace(" "))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lockNamespace");
        }
    }

    // ---------------------------------------------------------------------------------------------
    @Nested
    @Tag("managed-execution") // -Dgroups=managed-execution runs these alone, for every fixture
    class ManagedExecution extends ManagedExecutionContract {
        ManagedExecution() {
            super(strategy, pool, tables, names);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** A run of a key of its own, brought to {@code status} through the public lifecycle. */
    long runIn(RunStatus status) {
        String key = "repo/status/" + status.dbValue() + "/" + fixtureKeys.incrementAndGet();
        if (status == RunStatus.PENDING) {
            return runs.create(key, "deploy").id();
        }
        Claim claim = runs.begin(key, "deploy", "executor-1");
        switch (status) {
            case RUNNING -> { }
            case PAUSED -> runs.pause(claim);
            case FAILED -> runs.fail(claim);
            case COMPLETED -> runs.complete(claim);
            case CANCELLED -> runs.cancel(claim.runId());
            default -> throw new IllegalArgumentException(status.toString());
        }
        return claim.runId();
    }

    private static void report(String line) {
        System.out.println(line);
        try {
            Path file = Path.of("target", "fuzz-figures.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
