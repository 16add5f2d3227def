package dev.lockstep.contract.fault;

import static dev.lockstep.contract.fault.Consistency.assertNothingHalfDone;
import static dev.lockstep.contract.fault.Consistency.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.core.Claim;
import dev.lockstep.core.ConflictPolicy;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.LockstepException;
import dev.lockstep.core.Run;
import dev.lockstep.core.RunStatus;
import dev.lockstep.core.Schema;
import dev.lockstep.core.StartResult;
import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code pg_terminate_backend} of a connection in the middle of a lifecycle operation: the operation ends in
 * a typed exception, the database rolls its transaction back, and the key is free or still held by the
 * run that held it, with nothing half-done.
 */
class BackendTerminationIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String KEY = "repo/a";

    private final ExecutorService actors = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "fault-actor");
        t.setDaemon(true);
        return t;
    });
    private TestDatabase database;

    private Coordinator coordinator(DataSource dataSource, Strategy strategy) {
        return Coordinator.create(dataSource, Coordinator.Options.of(strategy).withLockTimeout(PATIENCE));
    }

    private Coordinator setUp(Strategy strategy) {
        database = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
        Schema.install(database.dataSource(), strategy);
        return coordinator(database.dataSource(), strategy);
    }

    @AfterEach
    void stopActorsAndDropTheDatabase() throws InterruptedException {
        actors.shutdownNow();
        assertThat(actors.awaitTermination(30, TimeUnit.SECONDS)).as("the actors ended").isTrue();
        if (database != null) {
            database.close();
        }
    }

    private void terminate(int pid) {
        assertThat(rows(database.dataSource(), "SELECT pg_terminate_backend(" + pid + ")")).containsExactly(List.of(true));
    }

    private static Throwable failureOf(Future<?> actor) throws InterruptedException {
        try {
            actor.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the actor did not end within " + PATIENCE, e);
        }
        throw new AssertionError("the actor succeeded although its backend was terminated");
    }

    /**
     * A begin with CANCEL_EXISTING, which cancels the holder and starts its own run in one transaction, loses
     * its backend with everything but the commit sent: the holder still holds the key, untouched.
     */
    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aHolderTerminatedMidTransactionLeavesTheKeyWithTheRunThatHeldIt(Strategy strategy) throws Exception {
        Coordinator runs = setUp(strategy);
        Claim holder = runs.begin(KEY, "deploy", "executor-1");
        TrackedDataSource paused = TrackedDataSource.pausingBeforeFirstCommit(database.dataSource());
        Coordinator preempting = coordinator(paused.dataSource(), strategy);

        Future<StartResult> begin = actors.submit(() -> preempting.begin(KEY, "deploy", "executor-2", ConflictPolicy.CANCEL_EXISTING));
        int pid = paused.awaitPausedCommit();
        assertThat(rows(database.dataSource(), "SELECT state FROM pg_stat_activity WHERE pid = " + pid))
                .containsExactly(List.of("idle in transaction"));
        terminate(pid);
        paused.release();

        assertThat(failureOf(begin)).isInstanceOf(LockstepException.class);
        Run held = runs.find(holder.runId()).orElseThrow();
        assertThat(held.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(held.fence()).isEqualTo(holder.fence());
        List<List<Object>> begun = rows(database.dataSource(), "SELECT status FROM lockstep_run WHERE id <> " + holder.runId());
        if (strategy == Strategy.PENDING_INCLUSIVE_GUARD) {
            // its begin commits its row pending before the transaction that was cut, and cancels it on any failure,
            // on a connection of its own
            assertThat(begun).containsExactly(List.of("cancelled"));
        } else {
            assertThat(begun).as("rows left by the begin that was cut").isEmpty();
        }
        assertNothingHalfDone(database.dataSource(), strategy, List.of());

        runs.complete(holder);
        Claim next = runs.begin(KEY, "deploy", "executor-3");
        assertThat(runs.activeRun(KEY).orElseThrow().id()).isEqualTo(next.runId());
        assertNothingHalfDone(database.dataSource(), strategy, List.of());
    }

    /**
     * A start waiting for the lock a holder's open transaction keeps on the key loses its backend: it ends
     * typed, its run stays pending as it was, and the holder goes on to commit and hold the key.
     */
    @ParameterizedTest
    @EnumSource(Strategy.class)
    void aWaiterTerminatedWhileBlockedEndsTypedAndTheHolderCommits(Strategy strategy) throws Exception {
        Assumptions.assumeTrue(strategy == Strategy.ADVISORY_LOCK || strategy == Strategy.ON_CONFLICT_LEASE
                        || strategy == Strategy.RUNNING_AT_CREATION,
                "only the advisory lock, the lease and the unique index make a start wait for another transaction; "
                        + strategy + " never blocks, so it has no waiter to terminate");
        Coordinator runs = setUp(strategy);
        Run waiting = runs.create(KEY, "deploy");
        TrackedDataSource paused = TrackedDataSource.pausingBeforeFirstCommit(database.dataSource());
        TrackedDataSource tracked = TrackedDataSource.tracking(database.dataSource());
        Coordinator holding = coordinator(paused.dataSource(), strategy);
        Coordinator starting = coordinator(tracked.dataSource(), strategy);

        Future<StartResult> holder = actors.submit(() -> holding.begin(KEY, "deploy", "executor-1", ConflictPolicy.CANCEL_EXISTING));
        paused.awaitPausedCommit();
        Future<Claim> start = actors.submit(() -> starting.start(waiting.id(), "executor-2"));
        int waiter = await().atMost(PATIENCE).until(() -> tracked.pids().stream()
                .filter(pid -> (Boolean) rows(database.dataSource(), "SELECT cardinality(pg_blocking_pids(" + pid + ")) > 0").get(0).get(0))
                .findFirst().orElse(0), pid -> pid != 0);
        terminate(waiter);

        assertThat(failureOf(start)).isInstanceOf(LockstepException.class);
        paused.release();
        StartResult started = holder.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(started).isInstanceOf(StartResult.Started.class);
        Claim claim = ((StartResult.Started) started).claim();
        assertThat(runs.activeRun(KEY).orElseThrow().id()).isEqualTo(claim.runId());
        Run left = runs.find(waiting.id()).orElseThrow();
        assertThat(left.status()).isEqualTo(RunStatus.PENDING);
        assertThat(left.fence()).isZero();
        assertNothingHalfDone(database.dataSource(), strategy, List.of(waiting.id()));

        runs.complete(claim);
        assertThat(runs.start(waiting.id(), "executor-2").runId()).isEqualTo(waiting.id());
        assertNothingHalfDone(database.dataSource(), strategy, List.of());
    }
}
