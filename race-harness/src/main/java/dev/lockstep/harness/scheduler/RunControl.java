package dev.lockstep.harness.scheduler;

import dev.lockstep.dsl.Outcome;
import dev.lockstep.harness.trace.CallResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The meeting point of the scheduler thread and the actor threads: every state change happens under
 * one lock. The scheduler waits on {@link #schedulerWakeup}, each actor on its own
 * {@link ActorSlot#turn}, so a hand-off wakes exactly the thread it is for. Every wait is bounded
 * and says, when it gives up, who was waiting for what.
 *
 * <p>Actor threads only report (a yield point reached, a result, a wait, the end of the body); the
 * trace is written by the scheduler alone, in the order it settles actors, so the same decisions
 * always give the same trace.
 */
final class RunControl {

    final ReentrantLock lock = new ReentrantLock();
    final Condition schedulerWakeup = lock.newCondition();
    private final long timeoutNanos;

    // --- per run, guarded by lock ---
    long run;
    /** How many times an actor parked, got a result or finished: the scheduler's way to see that something happened. */
    long reports;
    boolean aborted;
    String abortReason;
    final List<StepDraft> drafts = new ArrayList<>();

    private final CallSites callSites;

    RunControl(Duration timeout, CallSites callSites) {
        this.timeoutNanos = timeout.toNanos();
        this.callSites = callSites;
    }

    void startRun() {
        run++;
        aborted = false;
        abortReason = null;
        drafts.clear();
    }

    Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    // --- called on actor threads ------------------------------------------------------------------

    /**
     * The yield point: parks the actor until the scheduler releases it, and returns the trace line
     * its operation fills in.
     *
     * @throws RunAborted when the run is being ended early
     */
    StepDraft.Step beforeOp(ActorSlot slot, Op op, ActorSlot.Pooled connection) {
        String callSite = callSites.here(); // on the actor's thread, before taking the lock
        lock.lock();
        try {
            throwIfAborted();
            slot.currentConnection = connection;
            if (op.changesSessionSettings()) {
                connection.sessionSettingsChanged = true;
                connection.deadlockTimeoutOwnedByActor |= op.mentionsDeadlockTimeout(); // the code under test decides, not the harness
            }
            slot.pending = op;
            slot.pendingCallSite = callSite;
            slot.released = false;
            slot.phase = ActorSlot.Phase.PARKED;
            reports++;
            schedulerWakeup.signal();
            long left = timeoutNanos;
            while (!slot.released && !aborted) {
                if (left <= 0) {
                    throw new IllegalStateException("actor " + slot.name + " waited " + timeout()
                            + " at a yield point and the scheduler never released it, before: " + op.sql());
                }
                left = slot.turn.awaitNanos(left);
            }
            throwIfAborted();
            slot.phase = ActorSlot.Phase.RUNNING;
            slot.pending = null;
            return slot.current;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunAborted("actor " + slot.name + " was interrupted");
        } finally {
            lock.unlock();
        }
    }

    private void throwIfAborted() {
        if (aborted) {
            throw new RunAborted(abortReason);
        }
    }

    /**
     * The operation of {@code step} returned (or failed) with {@code result}. An actor the database
     * lets go while the scheduler counts it blocked is running again from here; the scheduler settles it.
     */
    void afterOp(ActorSlot slot, StepDraft.Step step, CallResult result) {
        ActorSlot.Pooled connection = slot.currentConnection; // this thread set it at the yield point
        boolean transactionOpen = connection != null && connection.database.transactionOpen(connection);
        lock.lock();
        try {
            step.result = result;
            step.transactionOpenAfter = transactionOpen;
            if (result instanceof CallResult.Rows && step.rows < 0) {
                step.rows = 0; // counted from here as the actor reads
            }
            reports++;
            if (slot.phase == ActorSlot.Phase.BLOCKED) {
                slot.phase = ActorSlot.Phase.RUNNING;
                schedulerWakeup.signal();
            }
            // else the scheduler waits for the actor's next yield point or its end, which wake it:
            // waking it here too would cost a context switch per step for nothing
        } finally {
            lock.unlock();
        }
    }

    /** The actor asked for an update count of {@code step}'s results, after its first result (see {@link StepDraft.Step#updated}). */
    void updateCounted(StepDraft.Step step, int count) {
        lock.lock();
        try {
            step.updated = count;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A query's rows as the actor reads them: the actor read a row of {@code step}'s result; {@code values} are the row's values when the trace keeps
     * them (the first rows of the result), else null.
     */
    void rowRead(StepDraft.Step step, List<String> columns, List<Object> values) {
        lock.lock();
        try {
            step.rows++;
            if (values != null && step.firstRows.size() < CallResult.Rows.ROWS_SHOWN) {
                step.columns = columns;
                step.firstRows.add(values);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The actor changed a setting of its connection between two yield points; the scheduler puts it
     * into the trace when it next reports the actor, so its place there depends on the decisions alone.
     */
    void settingChanged(ActorSlot slot, StepDraft.Setting setting) {
        lock.lock();
        try {
            slot.settings.add(setting);
        } finally {
            lock.unlock();
        }
    }

    /**
     * SQLite's busy handler, on the actor's thread: reports the actor blocked and waits until the
     * scheduler lets it retry (true) or tells it to give up (false).
     */
    boolean busy(ActorSlot slot) {
        lock.lock();
        try {
            slot.phase = ActorSlot.Phase.BLOCKED;
            slot.blockGeneration++;
            schedulerWakeup.signal();
            long left = timeoutNanos;
            while (!slot.retry && !slot.giveUp && !aborted) {
                if (left <= 0) {
                    return false;
                }
                left = slot.turn.awaitNanos(left);
            }
            boolean retry = slot.retry && !slot.giveUp && !aborted;
            slot.retry = false;
            if (retry) {
                slot.phase = ActorSlot.Phase.RUNNING;
            }
            return retry;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The actor's body ended with {@code outcome}. */
    void finished(ActorSlot slot, Outcome outcome) {
        lock.lock();
        try {
            slot.outcome = outcome;
            slot.phase = ActorSlot.Phase.FINISHED;
            reports++;
            schedulerWakeup.signal();
        } finally {
            lock.unlock();
        }
    }

    // --- called on the scheduler thread, holding the lock -----------------------------------------

    /** Waits for an actor's report for at most {@code nanos}; false once {@code deadline} (System.nanoTime) has passed. */
    boolean awaitUntil(long deadline, long nanos) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            schedulerWakeup.awaitNanos(Math.min(left, nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the scheduler was interrupted", e);
        }
        return true;
    }

    long deadline() {
        return System.nanoTime() + timeoutNanos;
    }

    static long millis(long n) {
        return TimeUnit.MILLISECONDS.toNanos(n);
    }
}
