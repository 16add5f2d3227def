package dev.lockstep.core.internal;

import static dev.lockstep.core.internal.jooq.Tables.LOCKSTEP_RUN;

import dev.lockstep.core.Claim;
import dev.lockstep.core.RunStatus;
import dev.lockstep.core.internal.jooq.tables.LockstepRun;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectForUpdateStep;
import org.jooq.impl.DSL;

/**
 * The statements on {@code lockstep_run} that every strategy and the coordinator share. Each write is
 * a compare-and-swap: an UPDATE whose WHERE names the status (and fence) it expects, and whose row
 * count alone decides whether it happened.
 */
public final class RunTable {

    private static final LockstepRun RUN = LOCKSTEP_RUN;
    private static final List<String> ACTIVE = List.of(RunStatus.RUNNING.dbValue(), RunStatus.PAUSED.dbValue());

    private RunTable() {}

    /** Runs that hold their key whatever the strategy: {@code running} or {@code paused}. */
    public static Condition active(LockstepRun run) {
        return run.STATUS.in(ACTIVE);
    }

    public static Condition active() {
        return active(RUN);
    }

    public static Optional<RunRow> read(Session s, long id) {
        return s.sql().select(columns(s, RUN)).from(RUN).where(RUN.ID.eq(id)).fetchOptional(r -> row(r, RUN));
    }

    /** Creates a pending run, committed at once unless the session is in a transaction. */
    public static RunRow insertPending(Session s, String key, String name) {
        long id = s.sql().insertInto(RUN)
                .set(RUN.RUN_KEY, key)
                .set(RUN.NAME, name)
                .set(RUN.STATUS, RunStatus.PENDING.dbValue())
                .set(RUN.FENCE, 0L)
                .set(RUN.CREATED_AT, s.clock().now())
                .returningResult(RUN.ID)
                .fetchSingle(RUN.ID);
        return read(s, id).orElseThrow();
    }

    /** Inserts a run that is already running, with fence 1. */
    public static long insertRunning(Session s, String key, String name, String owner) {
        Field<Long> now = s.clock().now();
        return s.sql().insertInto(RUN)
                .set(RUN.RUN_KEY, key)
                .set(RUN.NAME, name)
                .set(RUN.STATUS, RunStatus.RUNNING.dbValue())
                .set(RUN.OWNER, owner)
                .set(RUN.FENCE, 1L)
                .set(RUN.CREATED_AT, now)
                .set(RUN.STARTED_AT, now)
                .set(RUN.LAST_ACTIVITY_AT, now)
                .returningResult(RUN.ID)
                .fetchSingle(RUN.ID);
    }

    /**
     * One other run of {@code run}'s key that satisfies {@code holds}, preferring active runs over
     * pending ones (only the pending-inclusive guard counts pending runs as holders).
     */
    public static Optional<RunRow> holder(Session s, RunRow run, Condition holds) {
        return s.sql().select(columns(s, RUN)).from(RUN)
                .where(RUN.RUN_KEY.eq(run.key()).and(RUN.ID.ne(run.id())).and(holds))
                .orderBy(DSL.when(RUN.STATUS.eq(RunStatus.PENDING.dbValue()), 1).otherwise(0), RUN.ID)
                .limit(1)
                .fetchOptional(r -> row(r, RUN));
    }

    /** The run that holds {@code key} by status, if any, other than {@code exceptId}. */
    public static Optional<RunRow> activeHolder(Session s, String key, long exceptId) {
        return s.sql().select(columns(s, RUN)).from(RUN)
                .where(RUN.RUN_KEY.eq(key).and(RUN.ID.ne(exceptId)).and(active()))
                .orderBy(RUN.ID)
                .limit(1)
                .fetchOptional(r -> row(r, RUN));
    }

    /** Cancels every run of {@code key} other than {@code exceptId} that satisfies {@code holds}; the preemption of CANCEL_EXISTING. */
    public static int cancelHolders(Session s, String key, long exceptId, Condition holds) {
        return s.sql().update(RUN)
                .set(RUN.STATUS, RunStatus.CANCELLED.dbValue())
                .set(RUN.COMPLETED_AT, s.clock().now())
                .where(RUN.RUN_KEY.eq(key).and(RUN.ID.ne(exceptId)).and(holds))
                .execute();
    }

    /**
     * The compare-and-swap to {@code running}: succeeds only if the run still has the status and fence
     * it was read with (and, for a {@code running} orphan, is still stale by the database clock).
     */
    public static boolean swapToRunning(Session s, RunRow seen, String owner, long newFence) {
        Field<Long> now = s.clock().now();
        Condition expected = RUN.ID.eq(seen.id())
                .and(RUN.STATUS.eq(seen.status().dbValue()))
                .and(RUN.FENCE.eq(seen.fence()));
        if (seen.status() == RunStatus.RUNNING) {
            expected = expected.and(staleRunning(s, RUN));
        }
        return s.sql().update(RUN)
                .set(RUN.STATUS, RunStatus.RUNNING.dbValue())
                .set(RUN.OWNER, owner)
                .set(RUN.FENCE, newFence)
                .set(RUN.STARTED_AT, DSL.coalesce(RUN.STARTED_AT, now))
                .set(RUN.LAST_ACTIVITY_AT, now)
                .where(expected)
                .execute() == 1;
    }

    /** A running run whose last activity is older than the stale threshold, by the database clock. */
    public static Condition staleRunning(Session s, LockstepRun run) {
        return run.STATUS.eq(RunStatus.RUNNING.dbValue())
                .and(run.LAST_ACTIVITY_AT.lt(s.clock().before(s.tuning().staleAfterMillis())));
    }

    /** The fenced compare-and-swap a holder makes from {@code running}: heartbeat, pause, complete, fail. */
    public static boolean holderWrite(Session s, Claim claim, RunStatus to) {
        Field<Long> now = s.clock().now();
        var update = s.sql().update(RUN)
                .set(RUN.STATUS, to.dbValue())
                .set(RUN.LAST_ACTIVITY_AT, now);
        if (!to.isActive()) {
            update = update.set(RUN.COMPLETED_AT, now);
        }
        return update.where(RUN.ID.eq(claim.runId())
                        .and(RUN.RUN_KEY.eq(claim.key()))
                        .and(RUN.OWNER.eq(claim.owner()))
                        .and(RUN.FENCE.eq(claim.fence()))
                        .and(RUN.STATUS.eq(RunStatus.RUNNING.dbValue())))
                .execute() == 1;
    }

    /** The compare-and-swap of a cancel: succeeds only if the run still has the status and fence it was read with. */
    public static boolean cancel(Session s, RunRow seen) {
        return s.sql().update(RUN)
                .set(RUN.STATUS, RunStatus.CANCELLED.dbValue())
                .set(RUN.COMPLETED_AT, s.clock().now())
                .where(RUN.ID.eq(seen.id())
                        .and(RUN.STATUS.eq(seen.status().dbValue()))
                        .and(RUN.FENCE.eq(seen.fence())))
                .execute() == 1;
    }

    /**
     * The oldest pending run whose key no run holds, skipping {@code excludedKeys}; on PostgreSQL the
     * row is locked {@code FOR UPDATE SKIP LOCKED}, so concurrent executors pick different runs.
     */
    public static Optional<RunRow> nextPendingCandidate(Session s, Collection<String> excludedKeys) {
        LockstepRun candidate = RUN.as("candidate");
        LockstepRun holder = RUN.as("holder");
        SelectForUpdateStep<Record> query = s.sql().select(columns(s, candidate)).from(candidate)
                .where(candidate.STATUS.eq(RunStatus.PENDING.dbValue()))
                .and(DSL.notExists(DSL.selectOne().from(holder)
                        .where(holder.RUN_KEY.eq(candidate.RUN_KEY)).and(active(holder))))
                .and(excludedKeys.isEmpty() ? DSL.noCondition() : candidate.RUN_KEY.notIn(excludedKeys))
                .orderBy(candidate.CREATED_AT, candidate.ID)
                .limit(1);
        var locked = s.database() == dev.lockstep.core.Database.POSTGRESQL
                ? query.forUpdate().of(candidate).skipLocked()
                : query;
        return locked.fetchOptional(r -> row(r, candidate));
    }

    private static List<Field<?>> columns(Session s, LockstepRun run) {
        return List.of(run.ID, run.RUN_KEY, run.NAME, run.STATUS, run.OWNER, run.FENCE, run.CREATED_AT,
                run.STARTED_AT, run.LAST_ACTIVITY_AT, run.COMPLETED_AT,
                DSL.field(staleRunning(s, run)).as("stale"));
    }

    private static RunRow row(Record r, LockstepRun run) {
        Boolean stale = r.get("stale", Boolean.class);
        return new RunRow(
                r.get(run.ID),
                r.get(run.RUN_KEY),
                r.get(run.NAME),
                RunStatus.fromDb(r.get(run.STATUS)),
                r.get(run.OWNER),
                r.get(run.FENCE),
                r.get(run.CREATED_AT),
                r.get(run.STARTED_AT),
                r.get(run.LAST_ACTIVITY_AT),
                r.get(run.COMPLETED_AT),
                Boolean.TRUE.equals(stale));
    }
}
