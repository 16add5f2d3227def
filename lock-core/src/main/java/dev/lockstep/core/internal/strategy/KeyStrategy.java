package dev.lockstep.core.internal.strategy;

import dev.lockstep.core.internal.RunRow;
import dev.lockstep.core.internal.OperationScope;

/**
 * The strategy SPI: how a run comes to hold its key. Everything else in the lifecycle (heartbeat,
 * pause, complete, fail, cancel, the conflict policies, claim-next, retries) is written once in the
 * coordinator on top of these methods. Every implementation takes its locks in the order stated in
 * {@link dev.lockstep.core.Coordinator}'s "Lock order": the key's lock before any run row.
 */
public interface KeyStrategy {

    /**
     * Moves {@code seen} from the status and fence it was read with to {@code running} with a larger
     * fence, unless another run holds its key; may wait for the key's lock. With {@code preempt},
     * first cancels the runs that hold the key; the caller then runs this inside a transaction so that
     * the cancel and the start commit together.
     */
    Acquisition acquire(OperationScope scope, RunRow seen, String owner, boolean preempt);

    /**
     * {@link #acquire} for claim-next, which must never wait for a lock another call holds while it
     * holds one itself, nor queue executors behind each other: a key whose lock is taken right now is
     * {@link Acquisition.Busy}. By default the same as {@code acquire}: a strategy without a key lock
     * locks the candidate row first (skipping locked ones), and its acquire waits for nothing else.
     */
    default Acquisition tryAcquire(OperationScope scope, RunRow candidate, String owner) {
        return acquire(scope, candidate, owner, false);
    }

    /**
     * Whether {@link #acquire} takes a lock on the key before it writes the run row (an advisory lock,
     * a lease row). Claim-next then reads its candidate without locking the row, so that the key's lock
     * still comes first.
     */
    default boolean takesKeyLock() {
        return false;
    }

    /**
     * Creates a run of {@code key} that holds it, already {@code running}, in one transaction (or one
     * statement): {@link Acquisition.Acquired} with the new run's id, or {@link Acquisition.Held} with
     * run id 0 and nothing written. With {@code preempt}, the holders are cancelled first, in the same
     * transaction (the caller opens it). Never called when {@link #beginsWithCommittedPendingRun}.
     */
    Acquisition begin(OperationScope scope, String key, String name, String owner, boolean preempt);

    /**
     * Whether a begin must commit its run {@code pending} before it may acquire it: true only where
     * the mechanism is other begins seeing that committed row (the pending-inclusive guard). The
     * coordinator then inserts the row with its owner, starts it as {@code start} would, and cancels it
     * if that fails.
     */
    default boolean beginsWithCommittedPendingRun() {
        return false;
    }

    /**
     * Frees the key that run {@code runId} holds, for strategies that keep the key's holder outside the
     * runs table. Called first in the transaction whose next write makes the run stop holding its key
     * (complete, fail, cancel), so that the key's lock comes before the run row; that write failing
     * rolls the release back.
     */
    default void release(OperationScope scope, long runId, String key) {}

    /** Whether {@link #release} writes anything, so that key-releasing writes need a transaction. */
    default boolean keepsHolderOutsideRuns() {
        return false;
    }
}
