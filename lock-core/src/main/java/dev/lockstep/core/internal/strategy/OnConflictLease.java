package dev.lockstep.core.internal.strategy;

import static dev.lockstep.core.internal.jooq.Tables.LOCKSTEP_LEASE;

import dev.lockstep.core.Database;
import dev.lockstep.core.internal.RunRow;
import dev.lockstep.core.internal.RunTable;
import dev.lockstep.core.internal.Session;
import dev.lockstep.core.internal.jooq.tables.LockstepLease;
import java.util.Optional;
import org.jooq.impl.DSL;

/**
 * A lease row per key in {@code lockstep_lease}, taken in the same transaction as the run's
 * transition.
 *
 * <ol>
 *   <li>begin a transaction;
 *   <li>{@code INSERT INTO lockstep_lease ... ON CONFLICT (lease_key) DO UPDATE ... WHERE run_id IS NULL
 *       OR run_id = <this run>}: one statement takes the lease if nobody ever held the key, if it is
 *       free, or if this run already holds it (a resume of a paused or stale run: a takeover), and in
 *       every case raises the lease's fence; no row back means another run holds the key;
 *   <li>compare-and-swap the run to {@code running} with the lease's new fence;
 *   <li>commit. Complete, fail and cancel free the lease ({@code run_id = NULL}) in the transaction
 *       that ends the run.
 * </ol>
 *
 * <p>Guarantee: the database serializes takers of one lease row (the conflicting insert or update
 * waits for the row's lock and then sees the latest version), so one run at a time holds a key. The
 * fence of a key grows with every take, so fences are monotonic per key as well as per run.
 * Preconditions: every writer that starts or ends runs of these keys uses this strategy, so that the
 * lease and the runs table agree.
 */
public final class OnConflictLease implements KeyStrategy {

    private static final LockstepLease LEASE = LOCKSTEP_LEASE;

    @Override
    public Acquisition acquire(Session session, RunRow seen, String owner, boolean preempt) {
        return session.transaction(() -> {
            if (preempt) {
                RunTable.cancelHolders(session, seen.key(), seen.id(), RunTable.active());
                session.sql().update(LEASE).setNull(LEASE.RUN_ID)
                        .where(LEASE.LEASE_KEY.eq(seen.key()).and(LEASE.RUN_ID.ne(seen.id())))
                        .execute();
            }
            Optional<Long> fence = take(session, seen);
            if (fence.isEmpty()) {
                Long holderId = session.sql().select(LEASE.RUN_ID).from(LEASE)
                        .where(LEASE.LEASE_KEY.eq(seen.key())).fetchOne(LEASE.RUN_ID);
                return new Acquisition.Held(seen.id(),
                        holderId == null ? Optional.empty() : RunTable.read(session, holderId));
            }
            return RunTable.swapToRunning(session, seen, owner, fence.get())
                    ? new Acquisition.Acquired(seen.id(), fence.get())
                    : new Acquisition.Lost(seen.id());
        }, Acquisition::acquired);
    }

    /** Takes the lease of {@code seen}'s key for it if free or already its own; the new fence, or empty if held. */
    private static Optional<Long> take(Session session, RunRow seen) {
        long proposed = seen.fence() + 1;
        var upsert = session.sql().insertInto(LEASE)
                .set(LEASE.LEASE_KEY, seen.key())
                .set(LEASE.RUN_ID, seen.id())
                .set(LEASE.FENCE, proposed)
                .set(LEASE.TAKEN_AT, session.clock().now())
                .onConflict(LEASE.LEASE_KEY)
                .doUpdate()
                .set(LEASE.RUN_ID, seen.id())
                .set(LEASE.FENCE, DSL.greatest(LEASE.FENCE.plus(1), DSL.val(proposed)))
                .set(LEASE.TAKEN_AT, session.clock().now())
                .where(LEASE.RUN_ID.isNull().or(LEASE.RUN_ID.eq(seen.id())));
        if (session.database() == Database.POSTGRESQL) {
            return upsert.returningResult(LEASE.FENCE).fetchOptional(LEASE.FENCE);
        }
        // jOOQ does not render RETURNING for SQLite upserts; the transaction holds SQLite's write lock,
        // so the row read back is the one just written
        if (upsert.execute() == 0) {
            return Optional.empty();
        }
        return Optional.of(session.sql().select(LEASE.FENCE).from(LEASE).where(LEASE.LEASE_KEY.eq(seen.key())).fetchSingle(LEASE.FENCE));
    }

    @Override
    public void release(Session session, long runId, String key) {
        session.sql().update(LEASE).setNull(LEASE.RUN_ID)
                .where(LEASE.LEASE_KEY.eq(key).and(LEASE.RUN_ID.eq(runId)))
                .execute();
    }

    @Override
    public boolean keepsHolderOutsideRuns() {
        return true;
    }
}
