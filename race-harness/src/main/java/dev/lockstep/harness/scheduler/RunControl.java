package dev.lockstep.harness.scheduler;

import dev.lockstep.dsl.Outcome;
import dev.lockstep.harness.trace.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The meeting point of the scheduler thread and the actor threads of one run: every state change
 * happens under one lock and is announced on one condition (runs have a handful of actors, so waking
 * them all is cheaper than being clever). Every wait is bounded and says, when it gives up, who was
 * waiting for what.
 */
final class RunControl {

    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    private final long timeoutNanos;

    // --- per run, guarded by lock ---
    boolean aborted;
    String abortReason;
    boolean freeRunning;
    final List<StepDraft> drafts = new ArrayList<>();

    RunControl(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    void reset() {
        aborted = false;
        abortReason = null;
        freeRunning = false;
        drafts.clear();
    }

    Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    // --- called on actor threads ------------------------------------------------------------------

    /**
     * The yield point: parks the actor until the scheduler releases it, and returns the trace line
     * its operation fills in.
     */
    StepDraft.Step beforeOp(ActorSlot slot, Op op, ActorSlot.Pooled connection) {
        lock.lock();
        try {
            throwIfAborted();
            slot.currentConnection = connection;
            if (freeRunning) {
                return freeStep(slot, op);
            }
            slot.pending = op;
            slot.released = false;
            slot.phase = ActorSlot.Phase.PARKED;
            changed.signalAll();
            long left = timeoutNanos;
            while (!slot.released && !aborted && !freeRunning) {
                if (left <= 0) {
                    throw new IllegalStateException("actor " + slot.name + " waited " + timeout()
                            + " at a yield point and the scheduler never released it, before: " + op.sql());
                }
                left = changed.awaitNanos(left);
            }
            throwIfAborted();
            slot.phase = ActorSlot.Phase.RUNNING;
            slot.pending = null;
            return slot.released ? slot.current : freeStep(slot, op);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunAborted("actor " + slot.name + " was interrupted");
        } finally {
            lock.unlock();
        }
    }

    private StepDraft.Step freeStep(ActorSlot slot, Op op) {
        StepDraft.Step step = new StepDraft.Step(-1, slot.name, op);
        drafts.add(step);
        slot.current = step;
        slot.phase = ActorSlot.Phase.RUNNING;
        return step;
    }

    private void throwIfAborted() {
        if (aborted) {
            throw new RunAborted(abortReason);
        }
    }

    /** The operation of {@code step} returned (or failed) with {@code result}. */
    void afterOp(ActorSlot slot, StepDraft.Step step, StepResult result) {
        lock.lock();
        try {
            step.result = result;
            if (result instanceof StepResult.Rows && step.rows < 0) {
                step.rows = 0; // counted from here as the actor reads
            }
            if (step.waited) {
                drafts.add(new StepDraft.Completed(step));
            }
            if (slot.phase == ActorSlot.Phase.BLOCKED) {
                slot.phase = ActorSlot.Phase.RUNNING;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A query's rows as the actor reads them. */
    void rowRead(StepDraft.Step step) {
        lock.lock();
        try {
            step.rows++;
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
            if (slot.current != null) {
                slot.current.waited = true;
            }
            slot.blockGeneration++;
            changed.signalAll();
            long left = timeoutNanos;
            while (!slot.retry && !slot.giveUp && !aborted) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
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

    void finished(ActorSlot slot, Outcome outcome) {
        lock.lock();
        try {
            slot.outcome = outcome;
            slot.phase = ActorSlot.Phase.FINISHED;
            drafts.add(new StepDraft.Finished(slot.name, outcome));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // --- called on the scheduler thread, holding the lock -----------------------------------------

    /** Waits on the condition for at most {@code nanos}; false once {@code deadline} (System.nanoTime) has passed. */
    boolean awaitUntil(long deadline, long nanos) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try {
            changed.awaitNanos(Math.min(left, nanos));
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
