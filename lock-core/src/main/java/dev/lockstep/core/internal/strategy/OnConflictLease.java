package dev.lockstep.core.internal.strategy;

import static dev.lockstep.core.internal.jooq.Tables.LOCKSTEP_LEASE;

import dev.lockstep.core.Database;
import dev.lockstep.core.internal.RunRow;
import dev.lockstep.core.internal.RunTable;
import dev.lockstep.core.internal.Session;
import dev.lockstep.core.internal.jooq.tables.LockstepLease;
import java.util.Optional;
import org.jooq.Condition;
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
 *       every case raises the lease's fence; no row back means another run holds the key. The
 *       conflicting row is locked either way, so this is the key's lock;
 *   <li>compare-and-swap the run to {@code running} with the lease's new fence; a begin instead
 *       inserts its run already {@code running} with that fence and then names it in the lease (the
 *       lease is taken for "no run yet" first, so the key's lock still comes before any run row);
 *   <li>commit. Complete, fail and cancel free the lease ({@code run_id = NULL}) first in the
 *       transaction that ends the run.
 * </ol>
 *
 * <p>Lock order (the coordinator's): the lease row, then run rows, in every operation. Claim-next
 * reads its candidate without a row lock and takes the lease without waiting for anyone who holds
 * the row: {@code UPDATE ... WHERE lease_key = (SELECT ... WHERE run_id IS NULL FOR UPDATE SKIP
 * LOCKED)}; only a key that has no lease row yet is inserted, guarded by {@code NOT EXISTS} so that
 * it cannot wait for a row someone is updating. That insert can still wait for another transaction
 * inserting the key's very first lease row, but claim-next holds no lock then, so the wait cannot
 * close a cycle.
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
            Optional<Long> fence = take(session, seen.key(), seen.id(), seen.fence() + 1, preempt);
            if (fence.isEmpty()) {
                return new Acquisition.Held(seen.id(), holder(session, seen.key()));
            }
            if (preempt) {
                RunTable.cancelHolders(session, seen.key(), seen.id());
            }
            return swap(session, seen, owner, fence.get());
        }, Acquisition::acquired);
    }

    @Override
    public Acquisition tryAcquire(Session session, RunRow candidate, String owner) {
        if (session.database() != Database.POSTGRESQL) {
            return acquire(session, candidate, owner, false); // BEGIN IMMEDIATE: the one write lock is every key's
        }
        return session.transaction(() -> takeWithoutWaiting(session, candidate)
                .map(fence -> swap(session, candidate, owner, fence))
                .orElseGet(() -> new Acquisition.Busy(candidate.id())), Acquisition::acquired);
    }

    @Override
    public Acquisition begin(Session session, String key, String name, String owner, boolean preempt) {
        return session.transaction(() -> {
            Optional<Long> fence = take(session, key, null, 1, preempt);
            if (fence.isEmpty()) {
                return new Acquisition.Held(0, holder(session, key));
            }
            if (preempt) {
                RunTable.cancelHolders(session, key, 0);
            }
            Optional<Long> created = RunTable.insertRunning(session, key, name, owner, fence.get());
            if (created.isEmpty()) {
                return new Acquisition.Held(0, Optional.empty()); // a unique index installed beside the lease refused it
            }
            session.sql().update(LEASE).set(LEASE.RUN_ID, created.get()).where(LEASE.LEASE_KEY.eq(key)).execute();
            return new Acquisition.Acquired(created.get(), fence.get());
        }, Acquisition::acquired);
    }

    private static Acquisition swap(Session session, RunRow seen, String owner, long fence) {
        return RunTable.swapToRunning(session, seen, owner, fence)
                ? new Acquisition.Acquired(seen.id(), fence)
                : new Acquisition.Lost(seen.id());
    }

    /** The run the lease of {@code key} names, after a take found it held. */
    private static Optional<RunRow> holder(Session session, String key) {
        Long holderId = session.sql().select(LEASE.RUN_ID).from(LEASE).where(LEASE.LEASE_KEY.eq(key)).fetchOne(LEASE.RUN_ID);
        return holderId == null ? Optional.empty() : RunTable.read(session, holderId);
    }

    /**
     * Takes the lease of {@code key} for run {@code runId} (null: a run about to be inserted) if it is
     * free or already that run's, or with {@code preempt} whoever holds it; waits for the row's lock.
     * The new fence, or empty if another run holds the key.
     */
    private static Optional<Long> take(Session session, String key, Long runId, long proposed, boolean preempt) {
        Condition free = runId == null ? LEASE.RUN_ID.isNull() : LEASE.RUN_ID.isNull().or(LEASE.RUN_ID.eq(runId));
        var upsert = session.sql().insertInto(LEASE)
                .set(LEASE.LEASE_KEY, key)
                .set(LEASE.RUN_ID, runId)
                .set(LEASE.FENCE, proposed)
                .set(LEASE.TAKEN_AT, session.clock().now())
                .onConflict(LEASE.LEASE_KEY)
                .doUpdate()
                .set(LEASE.RUN_ID, runId)
                .set(LEASE.FENCE, DSL.greatest(LEASE.FENCE.plus(1), DSL.val(proposed)))
                .set(LEASE.TAKEN_AT, session.clock().now())
                .where(preempt ? DSL.noCondition() : free);
        if (session.database() == Database.POSTGRESQL) {
            return upsert.returningResult(LEASE.FENCE).fetchOptional(LEASE.FENCE);
        }
        // jOOQ does not render RETURNING for SQLite upserts; the transaction holds SQLite's write lock,
        // so the row read back is the one just written
        if (upsert.execute() == 0) {
            return Optional.empty();
        }
        return Optional.of(session.sql().select(LEASE.FENCE).from(LEASE).where(LEASE.LEASE_KEY.eq(key)).fetchSingle(LEASE.FENCE));
    }

    /**
     * PostgreSQL: takes the lease of {@code candidate}'s key only if it is free and nobody holds its
     * row lock, or inserts it if the key has no lease row in this statement's snapshot. The new fence,
     * or empty if the key is held or busy.
     */
    private static Optional<Long> takeWithoutWaiting(Session session, RunRow candidate) {
        long proposed = candidate.fence() + 1;
        LockstepLease free = LEASE.as("free");
        Optional<Long> taken = session.sql().update(LEASE)
                .set(LEASE.RUN_ID, candidate.id())
                .set(LEASE.FENCE, DSL.greatest(LEASE.FENCE.plus(1), DSL.val(proposed)))
                .set(LEASE.TAKEN_AT, session.clock().now())
                .where(LEASE.LEASE_KEY.eq(DSL.select(free.LEASE_KEY).from(free)
                        .where(free.LEASE_KEY.eq(candidate.key()).and(free.RUN_ID.isNull()))
                        .forUpdate().skipLocked()))
                .returningResult(LEASE.FENCE)
                .fetchOptional(LEASE.FENCE);
        if (taken.isPresent()) {
            return taken;
        }
        LockstepLease existing = LEASE.as("existing");
        return session.sql().insertInto(LEASE, LEASE.LEASE_KEY, LEASE.RUN_ID, LEASE.FENCE, LEASE.TAKEN_AT)
                .select(DSL.select(DSL.val(candidate.key()), DSL.val(candidate.id()), DSL.val(proposed), session.clock().now())
                        .whereNotExists(DSL.selectOne().from(existing).where(existing.LEASE_KEY.eq(candidate.key()))))
                .onConflictDoNothing()
                .returningResult(LEASE.FENCE)
                .fetchOptional(LEASE.FENCE);
    }

    @Override
    public void release(Session session, long runId, String key) {
        session.sql().update(LEASE).setNull(LEASE.RUN_ID)
                .where(LEASE.LEASE_KEY.eq(key).and(LEASE.RUN_ID.eq(runId)))
                .execute();
    }

    @Override
    public boolean takesKeyLock() {
        return true;
    }

    @Override
    public boolean keepsHolderOutsideRuns() {
        return true;
    }
}
