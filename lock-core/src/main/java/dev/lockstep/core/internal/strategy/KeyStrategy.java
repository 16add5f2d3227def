package dev.lockstep.core.internal.strategy;

import dev.lockstep.core.internal.RunRow;
import dev.lockstep.core.internal.RunTable;
import dev.lockstep.core.internal.Session;

/**
 * The strategy SPI: how a run comes to hold its key. Everything else in the lifecycle (heartbeat,
 * pause, complete, fail, cancel, the conflict policies, claim-next) is written once in the
 * coordinator on top of these three methods.
 */
public interface KeyStrategy {

    /**
     * Moves {@code seen} from the status and fence it was read with to {@code running} with a larger
     * fence, unless another run holds its key. With {@code preempt}, first cancels the runs that hold
     * the key; the caller then runs this inside a transaction so that the cancel and the start commit
     * together.
     */
    Acquisition acquire(Session session, RunRow seen, String owner, boolean preempt);

    /** Creates a run and makes it hold its key. By default: create it {@code pending}, committed, then acquire. */
    default Acquisition begin(Session session, String key, String name, String owner, boolean preempt) {
        RunRow created = RunTable.insertPending(session, key, name);
        return acquire(session, created, owner, preempt);
    }

    /**
     * Called in the same transaction as a write that makes run {@code runId} stop holding its key
     * (complete, fail, cancel), for strategies that keep the key's holder outside the runs table.
     */
    default void release(Session session, long runId, String key) {}

    /** Whether {@link #release} writes anything, so that key-releasing writes need a transaction. */
    default boolean keepsHolderOutsideRuns() {
        return false;
    }
}
