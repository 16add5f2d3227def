package dev.lockstep.core.internal;

import static dev.lockstep.core.internal.jooq.Tables.LOCKSTEP_RUN;

import dev.lockstep.core.Claim;
import dev.lockstep.core.RunStatus;
import dev.lockstep.core.internal.jooq.tables.LockstepRun;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.QueryPart;
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
    /**
     * {@code LIMIT 1} written into the SQL, not bound: SQLite reading a key's holder with a bound limit
     * cost about 17 µs of CPU more per read (measured: 80 µs against 63 µs for a refused begin's two
     * statements), which made lock-core's refusals a quarter dearer than raw JDBC's at 8 threads on one key.
     */
    private static final Param<Integer> ONE_ROW = DSL.inline(1);

    private RunTable() {}

    /** Runs that hold their key whatever the strategy: {@code running} or {@code paused}. */
    public static Condition active(LockstepRun run) {
        return run.STATUS.in(literal(RunStatus.RUNNING), literal(RunStatus.PAUSED));
    }

    /**
     * A status as a SQL literal rather than a bind value, in every statement: the planner then knows
     * which rows a statement touches even in a generic plan, so it can use the partial indexes and
     * the column's statistics.
     */
    public static Field<String> literal(RunStatus status) {
        return DSL.inline(status.dbValue());
    }

    public static Condition active() {
        return active(RUN);
    }

    /**
     * Which other runs of a key hold it: the active ones for every strategy but the pending-inclusive
     * guard, which also counts fresh pending runs created before the run it guards.
     */
    public enum Holders { ACTIVE, ACTIVE_OR_OLDER_FRESH_PENDING }

    public static Optional<RunRow> read(OperationScope s, long id) {
        return s.fetchFirst(s.statements().read, Map.of("id", id), RunTable::row);
    }

    /**
     * Creates a pending run, committed at once unless the scope is in a transaction. {@code owner}
     * is null for a run that any executor may claim ({@code create}); a begin's own pending row
     * carries its owner, which keeps claim-next away from it (see {@link #nextPendingCandidate}).
     */
    public static RunRow insertPending(OperationScope s, String key, String name, String owner) {
        Map<String, Object> values = new HashMap<>(); // the owner may be null, which Map.of refuses
        values.put("key", key);
        values.put("name", name);
        values.put("owner", owner);
        return s.fetchFirst(s.statements().insertPending, values, RunTable::row).orElseThrow();
    }

    /**
     * Inserts a run that is already running with {@code fence}; empty when the partial unique index
     * refuses it because another run holds the key (running-at-creation). Nothing is written then, and
     * nothing fails: the insert says {@code ON CONFLICT DO NOTHING} ({@code INSERT IGNORE} on MariaDB), so
     * PostgreSQL aborts no statement and logs no {@code ERROR} for a refused begin.
     */
    public static Optional<Long> insertRunning(OperationScope s, String key, String name, String owner, long fence) {
        return s.fetchFirst(s.statements().insertRunning,
                Map.of("key", key, "name", name, "owner", owner, "fence", fence), row -> row.getLong(1));
    }

    /**
     * One other run of {@code run}'s key that satisfies {@code holds}, preferring active runs over
     * pending ones (only the pending-inclusive guard counts pending runs as holders).
     */
    public static Optional<RunRow> holder(OperationScope s, RunRow run, Holders holds) {
        return s.fetchFirst(s.statements().holders.get(holds), aboutRun(run), RunTable::row);
    }

    /** The values of the statements that look at the other runs of {@code run}'s key. */
    private static Map<String, Object> aboutRun(RunRow run) {
        return Map.of("key", run.key(), "exceptId", run.id(), "createdAt", run.createdAt());
    }

    /** The run that holds {@code key} by status, if any, other than {@code exceptId}. */
    public static Optional<RunRow> activeHolder(OperationScope s, String key, long exceptId) {
        return s.fetchFirst(s.statements().activeHolder, Map.of("key", key, "exceptId", exceptId), RunTable::row);
    }

    /** Cancels every active run of {@code key} other than {@code exceptId}; the preemption of CANCEL_EXISTING. */
    public static int cancelHolders(OperationScope s, String key, long exceptId) {
        return s.update(s.statements().cancelHolders.get(Holders.ACTIVE), Map.of("key", key, "exceptId", exceptId));
    }

    /** Cancels every other run of {@code run}'s key that holds it as {@code holds} says; the preemption of CANCEL_EXISTING. */
    public static int cancelHolders(OperationScope s, RunRow run, Holders holds) {
        return s.update(s.statements().cancelHolders.get(holds), aboutRun(run));
    }

    /**
     * The compare-and-swap to {@code running}: succeeds only if the run still has the status and fence
     * it was read with (and, for a {@code running} orphan, is still stale by the database clock).
     */
    public static boolean swapToRunning(OperationScope s, RunRow seen, String owner, long newFence) {
        return s.update(s.statements().swapsToRunning.get(seen.status()),
                Map.of("id", seen.id(), "fence", seen.fence(), "owner", owner, "newFence", newFence)) == 1;
    }

    /** A running run whose last activity is older than the stale threshold, by the database clock. */
    private static Condition staleRunning(DatabaseClock clock, long staleAfterMillis, LockstepRun run) {
        return run.STATUS.eq(literal(RunStatus.RUNNING)).and(run.LAST_ACTIVITY_AT.lt(clock.before(staleAfterMillis)));
    }

    /** The fenced compare-and-swap a holder makes from {@code running}: heartbeat, pause, complete, fail. */
    public static boolean holderWrite(OperationScope s, Claim claim, RunStatus to) {
        return s.update(s.statements().holderWrites.get(to),
                Map.of("id", claim.runId(), "key", claim.key(), "owner", claim.owner(), "fence", claim.fence())) == 1;
    }

    /** The compare-and-swap of a cancel: succeeds only if the run still has the status and fence it was read with. */
    public static boolean cancel(OperationScope s, RunRow seen) {
        return s.update(s.statements().cancels.get(seen.status()), Map.of("id", seen.id(), "fence", seen.fence())) == 1;
    }

    /**
     * The oldest pending run that nobody owns yet and whose key no run holds, skipping
     * {@code excludedKeys}. A pending run with an owner is a begin's, between its two phases under the
     * pending-inclusive guard: it is that begin's to start, never an executor's.
     *
     * <p>With {@code lockRow} (only for strategies that take no key lock, see the lock order in
     * {@link dev.lockstep.core.Coordinator}), the row is locked {@code FOR UPDATE SKIP LOCKED} on
     * PostgreSQL, so concurrent executors pick different runs; otherwise it is read without a lock, and
     * the strategy's non-waiting key lock keeps executors apart.
     */
    public static Optional<RunRow> nextPendingCandidate(OperationScope s, Collection<String> excludedKeys, boolean lockRow) {
        boolean locked = lockRow && s.dialect().locksRowsOneByOne();
        Prepared query = !excludedKeys.isEmpty()
                ? s.prepare(candidateQuery(s.clock(), s.tuning().staleAfterMillis(), excludedKeys, locked, s.dialect().namesLockedTables()))
                : locked ? s.statements().lockedCandidate : s.statements().candidate;
        return s.fetchFirst(query, Map.of(), RunTable::row);
    }

    /**
     * With {@code locked}, the candidate's row is locked {@code FOR UPDATE OF candidate SKIP LOCKED}, or
     * without {@code OF} where the database refuses it ({@code namesTables} false): the holder subquery's
     * rows are not in the query's FROM, so only the candidate's row is locked either way.
     */
    private static Query candidateQuery(DatabaseClock clock, long staleAfterMillis, Collection<String> excludedKeys, boolean locked,
            boolean namesTables) {
        LockstepRun candidate = RUN.as("candidate");
        LockstepRun holder = RUN.as("holder");
        SelectForUpdateStep<Record> query = DSL.select(columns(clock, staleAfterMillis, candidate)).from(candidate)
                .where(candidate.STATUS.eq(literal(RunStatus.PENDING)))
                .and(candidate.OWNER.isNull())
                .and(DSL.notExists(DSL.selectOne().from(holder)
                        .where(holder.RUN_KEY.eq(candidate.RUN_KEY)).and(active(holder))))
                .and(excludedKeys.isEmpty() ? DSL.noCondition() : candidate.RUN_KEY.notIn(excludedKeys))
                .orderBy(candidate.CREATED_AT, candidate.ID)
                .limit(ONE_ROW);
        if (!locked) {
            return query;
        }
        return namesTables ? query.forUpdate().of(candidate).skipLocked() : query.forUpdate().skipLocked();
    }

    /**
     * Every statement on the runs table whose shape is fixed, built and rendered once per database and
     * tuning (see {@link Prepared}); a value that changes the shape (a run's status, which is a literal)
     * has a statement of its own per value. Only claim-next's candidate query is built per call, and
     * only when it excludes keys (their number varies).
     */
    public static final class Statements {

        private final Prepared read;
        private final Prepared insertPending;
        private final Prepared insertRunning;
        private final Prepared activeHolder;
        private final Prepared staleRuns;
        /** Claim-next's candidate query when it excludes no key, without and with its row lock (null where rows are not locked one by one). */
        private final Prepared candidate;
        private final Prepared lockedCandidate;
        private final Map<Holders, Prepared> holders = new EnumMap<>(Holders.class);
        private final Map<Holders, Prepared> cancelHolders = new EnumMap<>(Holders.class);
        private final Map<RunStatus, Prepared> swapsToRunning = new EnumMap<>(RunStatus.class);
        private final Map<RunStatus, Prepared> cancels = new EnumMap<>(RunStatus.class);
        private final Map<RunStatus, Prepared> holderWrites = new EnumMap<>(RunStatus.class);

        Statements(DSLContext renderer, DatabaseClock clock, long staleAfterMillis, Dialect dialect) {
            Field<Long> now = clock.now();
            this.read = Prepared.of(renderer, renderer.select(columns(clock, staleAfterMillis, RUN)).from(RUN)
                    .where(RUN.ID.eq(DSL.param("id", Long.class))));
            this.insertPending = Prepared.returning(renderer, renderer.insertInto(RUN)
                    .set(RUN.RUN_KEY, DSL.param("key", String.class))
                    .set(RUN.NAME, DSL.param("name", String.class))
                    .set(RUN.STATUS, literal(RunStatus.PENDING))
                    .set(RUN.OWNER, DSL.param("owner", String.class))
                    .set(RUN.FENCE, 0L)
                    .set(RUN.CREATED_AT, now), "", inserted());
            for (Holders kind : Holders.values()) {
                Condition others = RUN.RUN_KEY.eq(DSL.param("key", String.class))
                        .and(RUN.ID.ne(DSL.param("exceptId", Long.class)))
                        .and(holding(kind, clock, staleAfterMillis));
                holders.put(kind, Prepared.of(renderer, renderer.select(columns(clock, staleAfterMillis, RUN)).from(RUN)
                        .where(others)
                        .orderBy(DSL.when(RUN.STATUS.eq(literal(RunStatus.PENDING)), 1).otherwise(0), RUN.ID)
                        .limit(ONE_ROW)));
                cancelHolders.put(kind, Prepared.of(renderer, renderer.update(RUN)
                        .set(RUN.STATUS, literal(RunStatus.CANCELLED))
                        .set(RUN.COMPLETED_AT, now)
                        .where(others)));
            }
            for (RunStatus from : RunStatus.values()) {
                Condition seen = RUN.ID.eq(DSL.param("id", Long.class))
                        .and(RUN.STATUS.eq(literal(from)))
                        .and(RUN.FENCE.eq(DSL.param("fence", Long.class)));
                swapsToRunning.put(from, Prepared.of(renderer, renderer.update(RUN)
                        .set(RUN.STATUS, literal(RunStatus.RUNNING))
                        .set(RUN.OWNER, DSL.param("owner", String.class))
                        .set(RUN.FENCE, DSL.param("newFence", Long.class))
                        .set(RUN.STARTED_AT, DSL.coalesce(RUN.STARTED_AT, now))
                        .set(RUN.LAST_ACTIVITY_AT, now)
                        .where(from == RunStatus.RUNNING ? seen.and(staleRunning(clock, staleAfterMillis, RUN)) : seen)));
                cancels.put(from, Prepared.of(renderer, renderer.update(RUN)
                        .set(RUN.STATUS, literal(RunStatus.CANCELLED))
                        .set(RUN.COMPLETED_AT, now)
                        .where(seen)));
            }
            this.insertRunning = Prepared.returning(renderer, renderer.insertInto(RUN)
                    .set(RUN.RUN_KEY, DSL.param("key", String.class))
                    .set(RUN.NAME, DSL.param("name", String.class))
                    .set(RUN.STATUS, literal(RunStatus.RUNNING))
                    .set(RUN.OWNER, DSL.param("owner", String.class))
                    .set(RUN.FENCE, DSL.param("fence", Long.class))
                    .set(RUN.CREATED_AT, now)
                    .set(RUN.STARTED_AT, now)
                    .set(RUN.LAST_ACTIVITY_AT, now)
                    .onConflictDoNothing(), "", RUN.ID.getName());
            this.activeHolder = Prepared.of(renderer, renderer.select(columns(clock, staleAfterMillis, RUN)).from(RUN)
                    .where(RUN.RUN_KEY.eq(DSL.param("key", String.class)))
                    .and(RUN.ID.ne(DSL.param("exceptId", Long.class)))
                    .and(active())
                    .orderBy(RUN.ID)
                    .limit(ONE_ROW));
            this.staleRuns = Prepared.of(renderer, renderer.select(columns(clock, staleAfterMillis, RUN)).from(RUN)
                    .where(staleRunning(clock, staleAfterMillis, RUN))
                    .orderBy(RUN.LAST_ACTIVITY_AT, RUN.ID)
                    .limit(DSL.param("limit", Integer.class)));
            this.candidate = Prepared.of(renderer, candidateQuery(clock, staleAfterMillis, List.of(), false, dialect.namesLockedTables()));
            this.lockedCandidate = dialect.locksRowsOneByOne()
                    ? Prepared.of(renderer, candidateQuery(clock, staleAfterMillis, List.of(), true, dialect.namesLockedTables()))
                    : null;
            for (RunStatus to : List.of(RunStatus.RUNNING, RunStatus.PAUSED, RunStatus.COMPLETED, RunStatus.FAILED)) {
                var update = renderer.update(RUN)
                        .set(RUN.STATUS, literal(to))
                        .set(RUN.LAST_ACTIVITY_AT, now);
                if (!to.isActive()) {
                    update = update.set(RUN.COMPLETED_AT, now);
                }
                holderWrites.put(to, Prepared.of(renderer, update.where(RUN.ID.eq(DSL.param("id", Long.class))
                        .and(RUN.RUN_KEY.eq(DSL.param("key", String.class)))
                        .and(RUN.OWNER.eq(DSL.param("owner", String.class)))
                        .and(RUN.FENCE.eq(DSL.param("fence", Long.class)))
                        .and(RUN.STATUS.eq(literal(RunStatus.RUNNING))))));
            }
        }
    }

    /**
     * What {@code kind} counts as holding the key. A pending run counts for the pending-inclusive guard
     * while it is fresh by the database clock and older, by creation time and then id, than the run the
     * statement is about (the values {@code createdAt} and {@code exceptId}, that run's id).
     */
    private static Condition holding(Holders kind, DatabaseClock clock, long staleAfterMillis) {
        Condition active = active(RUN);
        if (kind == Holders.ACTIVE) {
            return active;
        }
        Condition olderFreshPending = RUN.STATUS.eq(literal(RunStatus.PENDING))
                .and(DSL.row(RUN.CREATED_AT, RUN.ID).lt(DSL.param("createdAt", Long.class), DSL.param("exceptId", Long.class)))
                .and(RUN.CREATED_AT.ge(clock.before(staleAfterMillis)));
        return active.or(olderFreshPending);
    }

    /**
     * What an insert returns so that the new run needs no second read: {@link #columns} by their bare
     * names (RETURNING sees only the inserted row), and a run just inserted {@code pending} is not a
     * stale running one.
     */
    private static List<QueryPart> inserted() {
        List<QueryPart> columns = new ArrayList<>();
        for (Field<?> column : stored(RUN)) {
            columns.add(DSL.name(column.getName()));
        }
        columns.add(DSL.sql("{0} as {1}", DSL.inline(false), DSL.name("stale")));
        return columns;
    }

    private static List<Field<?>> columns(DatabaseClock clock, long staleAfterMillis, LockstepRun run) {
        List<Field<?>> columns = new ArrayList<>(stored(run));
        columns.add(DSL.field(staleRunning(clock, staleAfterMillis, run)).as("stale"));
        return columns;
    }

    /** The columns of a run as stored; {@link #row} reads them, and {@code stale}, by label. */
    private static List<Field<?>> stored(LockstepRun run) {
        return List.of(run.ID, run.RUN_KEY, run.NAME, run.STATUS, run.OWNER, run.FENCE, run.CREATED_AT,
                run.STARTED_AT, run.LAST_ACTIVITY_AT, run.COMPLETED_AT);
    }

    /** The current row of a result set that selected {@link #columns}, by column label: any table alias reads alike. */
    private static RunRow row(ResultSet row) throws SQLException {
        return new RunRow(
                row.getLong("id"),
                row.getString("run_key"),
                row.getString("name"),
                RunStatus.fromDb(row.getString("status")),
                row.getString("owner"),
                row.getLong("fence"),
                row.getLong("created_at"),
                nullableLong(row, "started_at"),
                nullableLong(row, "last_activity_at"),
                nullableLong(row, "completed_at"),
                row.getBoolean("stale")); // NULL (a running run never active) reads as false
    }

    private static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    /**
     * The {@code running} runs that are stale by the database clock, least recently active first. No index
     * serves it (one on {@code last_activity_at} would cost every heartbeat its in-place update): it scans
     * the runs table, which suits a sweep every so often, not a hot path.
     */
    public static List<RunRow> staleRuns(OperationScope s, int limit) {
        return s.fetchAll(s.statements().staleRuns, Map.of("limit", limit), RunTable::row);
    }
}
