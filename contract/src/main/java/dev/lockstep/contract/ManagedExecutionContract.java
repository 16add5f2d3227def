package dev.lockstep.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.Claim;
import dev.lockstep.core.ClaimLostException;
import dev.lockstep.core.ConflictPolicy;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.ExecutionResult;
import dev.lockstep.core.InvalidTransitionException;
import dev.lockstep.core.NotResumableException;
import dev.lockstep.core.Run;
import dev.lockstep.core.RunStatus;
import dev.lockstep.core.StaleFenceException;
import dev.lockstep.core.Strategy;
import dev.lockstep.core.TableNames;
import dev.lockstep.testsupport.HeartbeatThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Managed execution and the list of stale runs, as part of the lifecycle contract: {@link CoordinatorContract}
 * runs these tests for every strategy × database through one nested class. Heartbeats are real, so the
 * coordinator here has a short {@code staleAfter} of its own; staleness itself is still made by shifting
 * times in the database, and every wait is for an event, never for a duration.
 */
abstract class ManagedExecutionContract {

    /** Heartbeats every second; a claim counts as lost after 2 s without one, far beyond any round trip. */
    static final Duration STALE_AFTER = Duration.ofSeconds(3);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String HEARTBEAT_THREAD = HeartbeatThreads.PREFIX;

    private final Coordinator runs;
    private final RawTables tables;
    private final AtomicInteger workRan = new AtomicInteger();

    ManagedExecutionContract(Strategy strategy, DataSource pool, RawTables tables, TableNames names) {
        this.runs = Coordinator.create(pool, Coordinator.Options.of(strategy).withStaleAfter(STALE_AFTER).withTables(names));
        this.tables = tables;
    }

    @BeforeEach
    void noHeartbeatThreadBefore() {
        assertThat(heartbeatThreads()).isEmpty();
    }

    /** Every way out of an execution (return, throw, claim lost, refused begin) stops its heartbeat thread before it returns. */
    @AfterEach
    void noHeartbeatThreadAfter() {
        assertThat(heartbeatThreads()).as("heartbeat threads still alive after the call").isEmpty();
    }

    private static List<String> heartbeatThreads() {
        return HeartbeatThreads.alive();
    }

    private long lastActivity(long runId) {
        return ((Number) tables.query("SELECT last_activity_at FROM lockstep_run WHERE id = " + runId).get(0).get(0)).longValue();
    }

    private Run run(long runId) {
        return runs.find(runId).orElseThrow();
    }

    @Test
    void heartbeatsKeepALongWorksRunFreshSoATakeoverIsRefused() {
        String result = runs.execute("repo/a", "deploy", "executor-1", held -> {
            long runId = held.claim().runId();
            assertThat(Thread.currentThread().getName()).doesNotStartWith(HEARTBEAT_THREAD);
            assertThat(heartbeatThreads()).containsExactly(HEARTBEAT_THREAD + "run-" + runId);
            // stale by the database clock, as if the executor had stopped heartbeating long ago ...
            tables.backdateActivity(runId, STALE_AFTER.toMillis() * 10);
            long backdated = lastActivity(runId);
            // ... until the next heartbeat makes it fresh again
            await().atMost(PATIENCE).until(() -> lastActivity(runId) > backdated + STALE_AFTER.toMillis() * 5);
            long refreshed = lastActivity(runId);
            await().atMost(PATIENCE).until(() -> lastActivity(runId) > refreshed);

            assertThatThrownBy(() -> runs.resume(runId, "executor-2"))
                    .isInstanceOfSatisfying(NotResumableException.class, e -> assertThat(e.status()).isEqualTo(RunStatus.RUNNING));
            assertThat(runs.staleRuns(10)).isEmpty();
            assertThat(held.isHeld()).isTrue();
            held.ensureHeld();
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(tables.count("status = 'completed'")).isEqualTo(1);
        assertThat(tables.count("status <> 'completed'")).isZero();
    }

    @Test
    void aRunCancelledMidWorkIsSeenByTheWorkAndLeftCancelled() {
        AtomicReference<Claim> seen = new AtomicReference<>();

        assertThatThrownBy(() -> runs.execute("repo/a", "deploy", "executor-1", held -> {
            seen.set(held.claim());
            assertThat(runs.cancel(held.claim().runId()).cancelled()).isTrue();
            await().atMost(PATIENCE).until(() -> !held.isHeld());
            assertThatThrownBy(held::ensureHeld).isInstanceOfSatisfying(ClaimLostException.class,
                    e -> assertThat(e.getCause()).isInstanceOf(InvalidTransitionException.class));
            return "returned anyway";
        })).isInstanceOfSatisfying(ClaimLostException.class, e -> {
            assertThat(e.claim()).isEqualTo(seen.get());
            assertThat(e.getCause()).isInstanceOfSatisfying(InvalidTransitionException.class,
                    refused -> assertThat(refused.status()).isEqualTo(RunStatus.CANCELLED));
        });

        assertThat(run(seen.get().runId()).status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(tables.count("status IN ('running', 'paused')")).isZero();
    }

    @Test
    void aRunTakenOverMidWorkIsSeenByTheWorkAndTheSuccessorsRunIsNotCompleted() {
        AtomicReference<Claim> mine = new AtomicReference<>();
        AtomicReference<Claim> successor = new AtomicReference<>();

        assertThatThrownBy(() -> runs.execute("repo/a", "deploy", "executor-1", held -> {
            long runId = held.claim().runId();
            mine.set(held.claim());
            // a heartbeat may refresh the run between the backdating and the resume: then try again
            successor.set(await().atMost(PATIENCE).ignoreException(NotResumableException.class).until(() -> {
                tables.backdateActivity(runId, STALE_AFTER.toMillis() * 10);
                return runs.resume(runId, "executor-2");
            }, claim -> true));
            await().atMost(PATIENCE).until(() -> !held.isHeld());
            return "returned anyway";
        })).isInstanceOfSatisfying(ClaimLostException.class,
                e -> assertThat(e.getCause()).isInstanceOfSatisfying(StaleFenceException.class,
                        refused -> assertThat(refused.currentFence()).isEqualTo(successor.get().fence())));

        Run run = run(mine.get().runId());
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.owner()).contains("executor-2");
        assertThat(run.fence()).isEqualTo(successor.get().fence()).isGreaterThan(mine.get().fence());
        runs.complete(successor.get());
        assertThat(run(mine.get().runId()).status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void workThatThrowsLeavesTheRunFailedAndItsExceptionIsRethrownUnchanged() {
        Exception thrown = new Exception("the deploy script exited with 3");
        AtomicReference<Claim> seen = new AtomicReference<>();

        assertThatThrownBy(() -> runs.execute("repo/a", "deploy", "executor-1", held -> {
            seen.set(held.claim());
            throw thrown;
        })).isSameAs(thrown);

        assertThat(thrown.getSuppressed()).isEmpty();
        assertThat(run(seen.get().runId()).status()).isEqualTo(RunStatus.FAILED);
        assertThat(runs.resume(seen.get().runId(), "executor-2").fence()).isGreaterThan(seen.get().fence());
    }

    @Test
    void aRefusedBeginNeverRunsTheWork() {
        Claim holder = runs.begin("repo/a", "deploy", "executor-1");

        assertThatThrownBy(() -> runs.execute("repo/a", "deploy", "executor-2", held -> workRan.incrementAndGet()))
                .isInstanceOfSatisfying(AlreadyActiveException.class, e -> assertThat(e.holderId()).isEqualTo(holder.runId()));
        ExecutionResult<Integer> existing = runs.execute("repo/a", "deploy", "executor-2", ConflictPolicy.USE_EXISTING,
                held -> workRan.incrementAndGet());

        assertThat(existing).isInstanceOfSatisfying(ExecutionResult.Existing.class,
                e -> assertThat(e.holder().id()).isEqualTo(holder.runId()));
        assertThat(workRan).hasValue(0);
        assertThat(tables.count("status IN ('running', 'paused', 'pending')")).isEqualTo(1);
        assertThat(run(holder.runId()).status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void cancelExistingReplacesTheHolderAndRunsTheWork() {
        Claim holder = runs.begin("repo/a", "deploy", "executor-1");

        ExecutionResult<String> result = runs.execute("repo/a", "deploy", "executor-2", ConflictPolicy.CANCEL_EXISTING,
                held -> held.claim().owner());

        assertThat(result).isInstanceOfSatisfying(ExecutionResult.Completed.class, done -> {
            assertThat(done.value()).isEqualTo("executor-2");
            assertThat(run(done.claim().runId()).status()).isEqualTo(RunStatus.COMPLETED);
        });
        assertThat(run(holder.runId()).status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void executeNextPendingRunsTheOldestPendingRunOfAFreeKey() {
        Run first = runs.create("repo/a", "deploy");
        Run second = runs.create("repo/b", "deploy");

        ExecutionResult<Long> one = runs.executeNextPending("executor-1", held -> held.claim().runId());
        ExecutionResult<Long> two = runs.executeNextPending("executor-1", held -> held.claim().runId());
        ExecutionResult<Long> none = runs.executeNextPending("executor-1", held -> (long) workRan.incrementAndGet());

        assertThat(one).isEqualTo(new ExecutionResult.Completed<>(new Claim(first.id(), "repo/a", "executor-1", 1), first.id()));
        assertThat(two).isInstanceOfSatisfying(ExecutionResult.Completed.class, done -> assertThat(done.value()).isEqualTo(second.id()));
        assertThat(none).isInstanceOf(ExecutionResult.NothingPending.class);
        assertThat(workRan).hasValue(0);
        assertThat(tables.count("status = 'completed'")).isEqualTo(2);
    }

    @Test
    void staleRunsListsExactlyTheStaleRunningRunsOldestFirst() {
        Claim staleLong = runs.begin("repo/a", "deploy", "executor-1");
        Claim staleRecently = runs.begin("repo/b", "deploy", "executor-1");
        Claim fresh = runs.begin("repo/c", "deploy", "executor-1");
        Claim pausedLongAgo = runs.begin("repo/d", "deploy", "executor-1");
        runs.pause(pausedLongAgo);
        Claim failedLongAgo = runs.begin("repo/e", "deploy", "executor-1");
        runs.fail(failedLongAgo);
        Claim staleOldest = runs.begin("repo/f", "deploy", "executor-1");
        long staleMillis = STALE_AFTER.toMillis();
        tables.backdateActivity(staleLong.runId(), staleMillis * 100);
        tables.backdateActivity(staleRecently.runId(), staleMillis * 2);
        tables.backdateActivity(fresh.runId(), staleMillis / 2);
        tables.backdateActivity(pausedLongAgo.runId(), staleMillis * 1000);
        tables.backdateActivity(failedLongAgo.runId(), staleMillis * 1000);
        tables.backdateActivity(staleOldest.runId(), staleMillis * 1000);

        assertThat(runs.staleRuns(10)).extracting(Run::id)
                .containsExactly(staleOldest.runId(), staleLong.runId(), staleRecently.runId());
        assertThat(runs.staleRuns(2)).extracting(Run::id).containsExactly(staleOldest.runId(), staleLong.runId());
        assertThat(runs.staleRuns(10)).allSatisfy(run -> assertThat(run.status()).isEqualTo(RunStatus.RUNNING));

        Claim taken = runs.resume(runs.staleRuns(1).get(0).id(), "executor-2");
        assertThat(taken.runId()).isEqualTo(staleOldest.runId());
        assertThat(runs.staleRuns(10)).extracting(Run::id).containsExactly(staleLong.runId(), staleRecently.runId());
        assertThatThrownBy(() -> runs.staleRuns(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }
}
