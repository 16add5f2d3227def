package dev.lockstep.core.internal.strategy;

import static dev.lockstep.core.internal.jooq.Tables.LOCKSTEP_LEASE;

import dev.lockstep.core.internal.DatabaseClock;
import dev.lockstep.core.internal.Dialect;
import dev.lockstep.core.internal.KeyHashes;
import dev.lockstep.core.internal.Prepared;
import dev.lockstep.core.internal.RunRow;
import dev.lockstep.core.internal.RunTable;
import dev.lockstep.core.internal.OperationScope;
import dev.lockstep.core.internal.jooq.tables.LockstepLease;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
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
 * <p>On MariaDB the take is {@code INSERT ... ON DUPLICATE KEY UPDATE}, with the condition in each
 * assignment, keyed by {@code lease_hash} (the key's SHA-256, which lock-core writes); it returns the
 * lease as it is after the statement, so a take is the lease naming this run. Claim-next there locks the
 * free row {@code FOR UPDATE SKIP LOCKED} first and then takes it, as MariaDB's UPDATE returns nothing.
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
    public Acquisition acquire(OperationScope scope, RunRow seen, String owner, boolean preempt) {
        return scope.transaction(() -> {
            Optional<Long> fence = take(scope, seen.key(), seen.id(), seen.fence() + 1, preempt);
            if (fence.isEmpty()) {
                return new Acquisition.Held(seen.id(), holder(scope, seen.key()));
            }
            if (preempt) {
                RunTable.cancelHolders(scope, seen.key(), seen.id());
            }
            return swap(scope, seen, owner, fence.get());
        }, Acquisition::acquired);
    }

    @Override
    public Acquisition tryAcquire(OperationScope scope, RunRow candidate, String owner) {
        if (!scope.dialect().locksRowsOneByOne()) {
            return acquire(scope, candidate, owner, false); // the transaction's write lock is every key's: no wait is left
        }
        return scope.transaction(() -> takeWithoutWaiting(scope, candidate)
                .map(fence -> swap(scope, candidate, owner, fence))
                .orElseGet(() -> new Acquisition.Busy(candidate.id())), Acquisition::acquired);
    }

    @Override
    public Acquisition begin(OperationScope scope, String key, String name, String owner, boolean preempt) {
        return scope.transaction(() -> {
            Optional<Long> fence = take(scope, key, null, 1, preempt);
            if (fence.isEmpty()) {
                return new Acquisition.Held(0, holder(scope, key));
            }
            if (preempt) {
                RunTable.cancelHolders(scope, key, 0);
            }
            Optional<Long> created = RunTable.insertRunning(scope, key, name, owner, fence.get());
            if (created.isEmpty()) {
                return new Acquisition.Held(0, Optional.empty()); // a unique index installed beside the lease refused it
            }
            scope.update(statements(scope).name, values(scope, key, created.get()));
            return new Acquisition.Acquired(created.get(), fence.get());
        }, Acquisition::acquired);
    }

    private static Acquisition swap(OperationScope scope, RunRow seen, String owner, long fence) {
        return RunTable.swapToRunning(scope, seen, owner, fence)
                ? new Acquisition.Acquired(seen.id(), fence)
                : new Acquisition.Lost(seen.id());
    }

    /** The run the lease of {@code key} names, after a take found it held. */
    private static Optional<RunRow> holder(OperationScope scope, String key) {
        Optional<Long> holderId = scope.fetchFirst(statements(scope).holder, values(scope, key, null), row -> {
            long id = row.getLong(1);
            return row.wasNull() ? null : id;
        });
        return holderId.flatMap(id -> RunTable.read(scope, id));
    }

    /** Whose lease a take may take: a begin's (no run yet) only a free one; a run's a free one or its own; a preemption anyone's. */
    private enum Take { FREE, FREE_OR_MINE, ANY }

    /**
     * Takes the lease of {@code key} for run {@code runId} (null: a run about to be inserted) if it is
     * free or already that run's, or with {@code preempt} whoever holds it; waits for the row's lock.
     * The new fence, or empty if another run holds the key.
     */
    private static Optional<Long> take(OperationScope scope, String key, Long runId, long proposed, boolean preempt) {
        Take take = preempt ? Take.ANY : runId == null ? Take.FREE : Take.FREE_OR_MINE;
        return taken(scope, statements(scope).takes.get(take), key, runId, proposed);
    }

    /**
     * Sends a take, which returns the lease as it is now: the new fence if the lease names {@code runId}.
     * PostgreSQL and SQLite return no row when the lease was not taken; MariaDB's upsert returns the row
     * whatever it did, naming its holder.
     */
    private static Optional<Long> taken(OperationScope scope, Prepared take, String key, Long runId, long proposed) {
        Map<String, Object> values = values(scope, key, runId);
        values.put("proposed", proposed);
        return scope.fetchFirst(take, values, row -> {
            long holder = row.getLong(1);
            return Objects.equals(row.wasNull() ? null : holder, runId) ? row.getLong(2) : null;
        });
    }

    /** The values that name the lease of {@code key} (by the key, or by its hash) and the run taking it. */
    private static Map<String, Object> values(OperationScope scope, String key, Long runId) {
        Map<String, Object> values = new HashMap<>(); // the run id may be null, which Map.of refuses
        values.put("key", key);
        values.put("runId", runId);
        if (scope.dialect().hashesKeys()) {
            values.put("keyHash", KeyHashes.of(key));
        }
        return values;
    }

    /**
     * Takes the lease of {@code candidate}'s key only if it is free and nobody holds its row lock, or
     * inserts it if the key has no lease row in this statement's snapshot. The new fence, or empty if
     * the key is held or busy. PostgreSQL: one UPDATE with a {@code SKIP LOCKED} subquery, returning the
     * fence. Where an UPDATE returns nothing (MariaDB): the row is locked {@code SKIP LOCKED} first, then
     * taken as a start takes it, which then waits for no one.
     */
    private static Optional<Long> takeWithoutWaiting(OperationScope scope, RunRow candidate) {
        long proposed = candidate.fence() + 1;
        Statements statements = statements(scope);
        Map<String, Object> values = values(scope, candidate.key(), candidate.id());
        values.put("proposed", proposed);
        if (statements.takeFreeUnlocked != null) {
            Optional<Long> taken = scope.fetchFirst(statements.takeFreeUnlocked, values, row -> row.getLong(1));
            if (taken.isPresent()) {
                return taken;
            }
        } else if (scope.fetchFirst(statements.lockUnlocked, values, row -> Boolean.TRUE).isPresent()) {
            return taken(scope, statements.takes.get(Take.FREE), candidate.key(), candidate.id(), proposed);
        }
        return taken(scope, statements.insertIfNone, candidate.key(), candidate.id(), proposed);
    }

    @Override
    public void release(OperationScope scope, long runId, String key) {
        scope.update(statements(scope).release, values(scope, key, runId));
    }

    private static Statements statements(OperationScope scope) {
        return scope.statements(Statements.class, (renderer, dialect, clock) -> new Statements(renderer, dialect, clock));
    }

    /**
     * The lease's statements, built and rendered once per database and tuning (see
     * {@link OperationScope#statements}). A take reads the lease's holder and new fence back in the same
     * statement on every database. A lease is found by its key, or where the database hashes keys
     * ({@link Dialect#hashesKeys}) by {@code lease_hash}, the key's SHA-256, which the inserts write.
     */
    private static final class Statements {
        private final Map<Take, Prepared> takes = new EnumMap<>(Take.class);
        private final Prepared holder;
        private final Prepared name;
        /** Claim-next's take: one UPDATE where it can return rows, else a lock then a take (null: the other form). */
        private final Prepared takeFreeUnlocked;
        private final Prepared lockUnlocked;
        private final Prepared insertIfNone;
        private final Prepared release;

        Statements(DSLContext renderer, Dialect dialect, DatabaseClock clock) {
            Field<String> key = DSL.param("key", String.class);
            Field<Long> runId = DSL.param("runId", Long.class);
            Field<Long> proposed = DSL.param("proposed", Long.class);
            boolean hashed = dialect.hashesKeys();
            Field<byte[]> keyHash = DSL.param("keyHash", byte[].class);
            List<Field<?>> taken = List.of(DSL.field(DSL.name(LEASE.RUN_ID.getName()), Long.class),
                    DSL.field(DSL.name(LEASE.FENCE.getName()), Long.class));
            for (Take take : Take.values()) {
                Condition may = switch (take) {
                    case FREE -> LEASE.RUN_ID.isNull();
                    case FREE_OR_MINE -> LEASE.RUN_ID.isNull().or(LEASE.RUN_ID.eq(runId));
                    case ANY -> DSL.noCondition();
                };
                var insert = renderer.insertInto(LEASE)
                        .set(LEASE.LEASE_KEY, key)
                        .set(LEASE.RUN_ID, runId)
                        .set(LEASE.FENCE, proposed)
                        .set(LEASE.TAKEN_AT, clock.now());
                if (hashed) {
                    insert = insert.set(leaseHash(LEASE), keyHash);
                }
                // MariaDB: ON DUPLICATE KEY UPDATE, which jOOQ writes with the condition in each assignment
                // (run_id first: whatever it assigns, the condition reads the same afterwards)
                takes.put(take, Prepared.returning(renderer, insert
                        .onConflict(LEASE.LEASE_KEY)
                        .doUpdate()
                        .set(LEASE.RUN_ID, runId)
                        .set(LEASE.FENCE, raised(proposed))
                        .set(LEASE.TAKEN_AT, clock.now())
                        .where(may), "", taken));
            }
            Condition sameKey = hashed ? leaseHash(LEASE).eq(keyHash) : LEASE.LEASE_KEY.eq(key);
            this.holder = Prepared.of(renderer, renderer.select(LEASE.RUN_ID).from(LEASE).where(sameKey));
            this.name = Prepared.of(renderer, renderer.update(LEASE).set(LEASE.RUN_ID, runId).where(sameKey));
            LockstepLease free = LEASE.as("free");
            this.takeFreeUnlocked = dialect.returnsFromUpdate() && !hashed
                    ? Prepared.of(renderer, renderer.update(LEASE)
                            .set(LEASE.RUN_ID, runId)
                            .set(LEASE.FENCE, raised(proposed))
                            .set(LEASE.TAKEN_AT, clock.now())
                            .where(LEASE.LEASE_KEY.eq(DSL.select(free.LEASE_KEY).from(free)
                                    .where(free.LEASE_KEY.eq(key).and(free.RUN_ID.isNull()))
                                    .forUpdate().skipLocked()))
                            .returningResult(LEASE.FENCE))
                    : null;
            this.lockUnlocked = takeFreeUnlocked == null
                    ? Prepared.of(renderer, renderer.selectOne().from(LEASE).where(sameKey).forUpdate().skipLocked())
                    : null;
            LockstepLease existing = LEASE.as("existing");
            Condition existingKey = hashed ? leaseHash(existing).eq(keyHash) : existing.LEASE_KEY.eq(key);
            List<Field<?>> columns = new ArrayList<>(List.of(LEASE.LEASE_KEY, LEASE.RUN_ID, LEASE.FENCE, LEASE.TAKEN_AT));
            List<Field<?>> inserted = new ArrayList<>(List.of(key, runId, proposed, clock.now()));
            if (hashed) {
                columns.add(leaseHash(LEASE));
                inserted.add(keyHash);
            }
            this.insertIfNone = Prepared.returning(renderer, renderer.insertInto(LEASE, columns)
                    .select(DSL.select(inserted).whereNotExists(DSL.selectOne().from(existing).where(existingKey)))
                    .onConflictDoNothing(), "", taken);
            this.release = Prepared.of(renderer, renderer.update(LEASE).setNull(LEASE.RUN_ID)
                    .where(sameKey.and(LEASE.RUN_ID.eq(runId))));
        }

        /** The lease's fence raised past every fence it had and to at least {@code proposed}. */
        private static Field<Long> raised(Field<Long> proposed) {
            return DSL.greatest(LEASE.FENCE.plus(1), proposed);
        }

        /**
         * {@code lease_hash}, which only the DDL of databases that hash keys has (the generated classes do not):
         * of an alias, qualified by it; of the lease table itself, unqualified (each statement reads one lease
         * row source besides aliases), since a name made here would not be mapped to the configured table name.
         */
        private static Field<byte[]> leaseHash(LockstepLease lease) {
            Name column = DSL.name("lease_hash");
            return DSL.field(lease == LEASE ? column : lease.getUnqualifiedName().append(column), byte[].class);
        }
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
