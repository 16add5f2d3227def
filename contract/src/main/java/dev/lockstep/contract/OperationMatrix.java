package dev.lockstep.contract;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.CancelOutcome;
import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Database;
import dev.lockstep.core.InvalidTransitionException;
import dev.lockstep.core.LockstepException;
import dev.lockstep.core.NotResumableException;
import dev.lockstep.core.RunNotFoundException;
import dev.lockstep.core.RunStatus;
import dev.lockstep.core.StaleFenceException;
import dev.lockstep.core.Strategy;
import dev.lockstep.core.TableNames;
import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Outcomes;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.testsupport.LockstepScenarios;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * The operation matrix: every pair of lifecycle operations on one key (each operation against
 * itself too), and the pairs on two keys where locks could cross, as race scenarios generated from
 * one table.
 *
 * <ol>
 *   <li>Each {@link Operation} says which run it acts on: its own (a pending run to start, a failed run
 *       to resume), the key's held run (a holder's writes; a stale one when a takeover is in the pair),
 *       a queued pending run for claim-next (unless its partner brings the pending run), or, for
 *       cancel, its partner's run.
 *   <li>A {@link Cell} is two actors, A and B, each doing one operation, and the runs the setup writes
 *       before every schedule (ids from 1, in the order listed in the scenario's name).
 *   <li>An actor that is given a claim proves it still holds the run with a fenced heartbeat, then
 *       records an execution in {@code lockstep_exec}, as an executor would.
 *   <li>Every scenario carries the same promises: at most one active run per key; a begin creates at
 *       most one run, started by its caller only, and leaves no pending run when it is refused or
 *       fails; no execution by a stale fence, and no run executed twice; each actor's outcome agrees
 *       with the final table; and every outcome is a result or a typed exception the operation
 *       documents (anything else, such as a deadlock, is a failure). A pair of equal operations, and a
 *       two-key cell, also says how many of the actors win.
 * </ol>
 */
final class OperationMatrix {

    static final String KEY = "/srv/work/repo";
    static final String OTHER_KEY = "/srv/work/other";

    static final String ONE_ACTIVE = "at most one active run per key";
    static final String EXECUTION_BY_STALE_FENCE = "no execution by a stale fence";

    /** The lifecycle operations, in the order of the matrix's rows and columns. */
    enum Operation {
        BEGIN("begin", 1),
        START("start", 1),
        RESUME("resume", 1),
        TAKEOVER("takeover", 1),
        CLAIM_NEXT("claim-next", 1),
        CANCEL("cancel", 1),
        COMPLETE("complete", 1),
        FAIL("fail", 1),
        PAUSE("pause", 1),
        HEARTBEAT("heartbeat", 2);

        final String label;
        /** How many of two actors doing this operation at once win (a claim, a cancel that moved the run, a write that took). */
        final int winnersAgainstItself;

        Operation(String label, int winnersAgainstItself) {
            this.label = label;
            this.winnersAgainstItself = winnersAgainstItself;
        }

        boolean isHolderWrite() {
            return this == COMPLETE || this == FAIL || this == PAUSE || this == HEARTBEAT;
        }
    }

    /** A run the setup writes; {@code stale}: its last activity is an hour old. */
    record Row(String key, String name, RunStatus status, String owner, long fence, boolean stale) {

        String describe(long id) {
            return "#" + id + " " + name + (key.equals(KEY) ? "" : " of " + key) + " " + status
                    + (owner == null ? "" : " by " + owner + " at fence " + fence) + (stale ? ", stale" : "");
        }
    }

    /** One actor's part: {@code operation} on run {@code target} (0: none; for a begin, the id its run will get). */
    record Move(String actor, Operation operation, String key, long target, Row targetRow) {}

    /**
     * One scenario of the matrix.
     *
     * @param name    e.g. {@code claim-next × start}
     * @param rows    what the setup writes, ids from 1 in this order
     * @param moves   A's and B's
     * @param winners how many actors must win, when the pair promises a count
     */
    record Cell(String name, List<Row> rows, List<Move> moves, Optional<Winners> winners) {}

    /** An expectation over how many actors won. */
    record Winners(String description, Predicate<List<Acted>> test) {}

    private final Strategy strategy;
    private final Database database;
    private final TableNames tables;

    /** The matrix on lock-core's tables named and placed as {@code tables} says: its coordinators, setups and invariants. */
    OperationMatrix(Strategy strategy, Database database, TableNames tables) {
        this.strategy = strategy;
        this.database = database;
        this.tables = tables;
    }

    // --- the table ---------------------------------------------------------------------------------

    /** Every cell: the pairs on one key, A's operation at or before B's in {@link Operation}'s order, then the two-key cells. */
    static List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        Operation[] operations = Operation.values();
        for (int a = 0; a < operations.length; a++) {
            for (int b = a; b < operations.length; b++) {
                cells.add(oneKey(operations[a], operations[b]));
            }
        }
        cells.addAll(twoKeys());
        return cells;
    }

    /** A and B on one key; the setup holds what the two operations need (see the class comment). */
    static Cell oneKey(Operation a, Operation b) {
        List<Row> rows = new ArrayList<>();
        boolean takeover = a == Operation.TAKEOVER || b == Operation.TAKEOVER;
        boolean bothCancel = a == Operation.CANCEL && b == Operation.CANCEL;
        int held = -1;
        if (takeover || a.isHolderWrite() || b.isHolderWrite() || bothCancel) {
            held = add(rows, takeover ? new Row(KEY, "stale", RunStatus.RUNNING, "zombie", 1, true)
                    : new Row(KEY, "held", RunStatus.RUNNING, "holder", 1, false));
        }
        int queued = -1;
        boolean claimNext = a == Operation.CLAIM_NEXT || b == Operation.CLAIM_NEXT;
        boolean partnerBringsPending = a == Operation.START || b == Operation.START || a == Operation.BEGIN || b == Operation.BEGIN;
        if (claimNext && !partnerBringsPending) {
            queued = add(rows, new Row(KEY, "queued", RunStatus.PENDING, null, 0, false));
        }
        int[] own = {ownRow(rows, a, "A"), ownRow(rows, b, "B")};
        Operation[] ops = {a, b};
        long[] targets = new long[2];
        for (int i = 0; i < 2; i++) {
            targets[i] = switch (ops[i]) {
                case BEGIN, CANCEL -> 0;
                case START, RESUME -> own[i];
                case TAKEOVER, COMPLETE, FAIL, PAUSE, HEARTBEAT -> held;
                case CLAIM_NEXT -> Math.max(queued, 0);
            };
        }
        for (int i = 0; i < 2; i++) {
            if (ops[i] == Operation.CANCEL) {
                int partner = 1 - i;
                targets[i] = ops[partner] == Operation.CANCEL ? held
                        : ops[partner] == Operation.BEGIN ? rows.size() + 1 // the id the begin's run will get
                        : targets[partner];
            }
        }
        List<Move> moves = List.of(move("A", a, KEY, targets[0], rows), move("B", b, KEY, targets[1], rows));
        Optional<Winners> winners = a != b ? Optional.empty() : Optional.of(new Winners(
                a.winnersAgainstItself == 2 ? "both " + a.label + "s take" : "exactly one " + a.label + " wins",
                acted -> acted.stream().filter(Acted::won).count() == a.winnersAgainstItself));
        return new Cell(a.label + " × " + b.label, rows, moves, winners);
    }

    /** The run an operation brings for itself: a pending run to start, a failed run to resume; 0 for none. */
    private static int ownRow(List<Row> rows, Operation operation, String actor) {
        return switch (operation) {
            case START -> add(rows, new Row(KEY, "pending-" + actor, RunStatus.PENDING, null, 0, false));
            case RESUME -> add(rows, new Row(KEY, "failed-" + actor, RunStatus.FAILED, "old-" + actor, 1, false));
            default -> 0;
        };
    }

    /** Where two keys' locks could cross: claim-next choosing among both keys' runs while starts and completes happen. */
    static List<Cell> twoKeys() {
        List<Cell> cells = new ArrayList<>();
        Predicate<List<Acted>> bothWin = acted -> acted.stream().allMatch(Acted::won);

        List<Row> rows = new ArrayList<>();
        int pendingOther = add(rows, new Row(OTHER_KEY, "pending-B", RunStatus.PENDING, null, 0, false));
        add(rows, new Row(KEY, "queued", RunStatus.PENDING, null, 0, false));
        cells.add(new Cell("claim-next × start, two keys", rows,
                List.of(move("A", Operation.CLAIM_NEXT, KEY, 0, rows), move("B", Operation.START, OTHER_KEY, pendingOther, rows)),
                Optional.of(new Winners("claim-next claims one of the two runs", acted -> acted.get(0).won()))));

        rows = new ArrayList<>();
        int held = add(rows, new Row(KEY, "held", RunStatus.RUNNING, "holder", 1, false));
        add(rows, new Row(KEY, "queued", RunStatus.PENDING, null, 0, false));
        add(rows, new Row(OTHER_KEY, "queued-other", RunStatus.PENDING, null, 0, false));
        cells.add(new Cell("claim-next × complete, two keys", rows,
                List.of(move("A", Operation.CLAIM_NEXT, KEY, 0, rows), move("B", Operation.COMPLETE, KEY, held, rows)),
                Optional.of(new Winners("claim-next claims a run and the complete takes", bothWin))));

        rows = new ArrayList<>();
        held = add(rows, new Row(KEY, "held", RunStatus.RUNNING, "holder", 1, false));
        cells.add(new Cell("complete × begin, two keys", rows,
                List.of(move("A", Operation.COMPLETE, KEY, held, rows), move("B", Operation.BEGIN, OTHER_KEY, 0, rows)),
                Optional.of(new Winners("the complete takes and the begin of the other key starts", bothWin))));

        rows = new ArrayList<>();
        add(rows, new Row(KEY, "queued", RunStatus.PENDING, null, 0, false));
        add(rows, new Row(OTHER_KEY, "queued-other", RunStatus.PENDING, null, 0, false));
        cells.add(new Cell("claim-next × claim-next, two keys", rows,
                List.of(move("A", Operation.CLAIM_NEXT, KEY, 0, rows), move("B", Operation.CLAIM_NEXT, KEY, 0, rows)),
                Optional.of(new Winners("each claim-next claims one of the two runs", bothWin))));

        rows = new ArrayList<>();
        int pendingA = add(rows, new Row(KEY, "pending-A", RunStatus.PENDING, null, 0, false));
        int pendingB = add(rows, new Row(OTHER_KEY, "pending-B", RunStatus.PENDING, null, 0, false));
        cells.add(new Cell("start × start, two keys", rows,
                List.of(move("A", Operation.START, KEY, pendingA, rows), move("B", Operation.START, OTHER_KEY, pendingB, rows)),
                Optional.of(new Winners("both starts win: their keys differ", bothWin))));
        return cells;
    }

    private static int add(List<Row> rows, Row row) {
        rows.add(row);
        return rows.size();
    }

    private static Move move(String actor, Operation operation, String key, long target, List<Row> rows) {
        return new Move(actor, operation, key, target, target >= 1 && target <= rows.size() ? rows.get((int) target - 1) : null);
    }

    /**
     * Where {@code strategy} breaks in {@code cell} by design, as its Javadoc states: the invariant that
     * breaks, or empty when the cell must pass.
     *
     * <ul>
     *   <li>the unsafe naive guard: any two acquisitions of two different runs of one key (begin, start,
     *       resume, claim-next of another run) pass the guard together;
     *   <li>the pending-inclusive guard: a resume of a failed run has no pending row, so it and another
     *       acquisition of its key both pass: another failed run resumed, or a begin, whose pending run
     *       is younger (the precondition its Javadoc states). Where the other run is pending and older
     *       (start × resume, resume × claim-next) the resume sees it and is refused.
     * </ul>
     */
    static Optional<String> documentedBreak(Strategy strategy, Cell cell) {
        Set<String> cells = switch (strategy) {
            case UNSAFE_NAIVE_GUARD -> Set.of("begin × begin", "begin × start", "begin × resume", "start × start", "start × resume",
                    "resume × resume", "resume × claim-next");
            case PENDING_INCLUSIVE_GUARD -> Set.of("resume × resume", "begin × resume");
            default -> Set.of();
        };
        return cells.contains(cell.name()) ? Optional.of(ONE_ACTIVE) : Optional.empty();
    }

    // --- the scenario --------------------------------------------------------------------------------

    /** {@code cell} as a race scenario on this matrix's strategy and database. */
    Scenario scenario(Cell cell) {
        Map<String, Acted> ledger = new ConcurrentHashMap<>();
        List<String> described = new ArrayList<>();
        for (int i = 0; i < cell.rows().size(); i++) {
            described.add(cell.rows().get(i).describe(i + 1));
        }
        Scenario.Builder scenario = Race.scenario(cell.name() + " (" + strategy.label() + "); runs: "
                        + (described.isEmpty() ? "none" : String.join(", ", described)))
                .setupSql(LockstepScenarios.emptyTables(database, tables).toArray(String[]::new))
                .setupSql("DELETE FROM lockstep_exec")
                .setupSql(inserts(cell.rows()))
                .setup(c -> ledger.clear())
                // after every step: a second active run may be gone again by the end. The rest only
                // grows (rows are never deleted), so it is checked once, at the end, and a report shows
                // the whole run: a begin's retry after its run was taken, say
                .invariant(ONE_ACTIVE, tables.rename(LockstepScenarios.ONE_ACTIVE_PER_KEY))
                .finalInvariant("a begin creates at most one run",
                        tables.rename("SELECT name, count(*) AS runs FROM lockstep_run WHERE name LIKE 'begin-%' GROUP BY name HAVING count(*) > 1"))
                .finalInvariant("a begin's run is started by its caller only",
                        tables.rename("SELECT id, name, status, owner FROM lockstep_run WHERE name LIKE 'begin-%' AND owner IS NOT NULL"
                                + " AND substr(name, 7) <> owner")) // 7: past 'begin-'
                .finalInvariant(EXECUTION_BY_STALE_FENCE,
                        "SELECT run_id, executor, fence, fence_seen FROM lockstep_exec WHERE fence <> fence_seen")
                .finalInvariant("a run is executed at most once", LockstepScenarios.EXECUTED_AT_MOST_ONCE)
                .finalInvariant("no pending run left by a refused or failed begin",
                        tables.rename("SELECT id, name, status FROM lockstep_run WHERE name LIKE 'begin-%' AND status = 'pending'"))
                .finalInvariant("each actor's outcome agrees with the final table", observer -> agrees(ledger, observer, tables))
                .expect("every actor ends with a result or a typed exception its operation documents",
                        outcomes -> outcomes.count(o -> !(o instanceof Outcome.Returned)) == 0);
        for (Move move : cell.moves()) {
            scenario.actor(move.actor(), ds -> {
                Acted acted = act(move, ds);
                ledger.put(move.actor(), acted);
                return acted;
            });
        }
        cell.winners().ifPresent(winners -> scenario.expect(winners.description(), outcomes -> winners.test().test(acted(outcomes))));
        return scenario.build();
    }

    private static List<Acted> acted(Outcomes outcomes) {
        return outcomes.asMap().values().stream()
                .map(o -> o instanceof Outcome.Returned r && r.value() instanceof Acted a ? a : null)
                .filter(a -> a != null)
                .toList();
    }

    private String[] inserts(List<Row> rows) {
        String now = database.nowMillisSql();
        List<String> sql = new ArrayList<>();
        Map<String, String> leases = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            long id = i + 1;
            boolean started = row.status() != RunStatus.PENDING;
            String activity = row.stale() ? "(" + now + " - 3600000)" : now;
            sql.add(tables.rename("INSERT INTO lockstep_run (run_key, name, status, owner, fence, created_at, started_at, last_activity_at, completed_at) VALUES ('"
                    + row.key() + "', '" + row.name() + "', '" + row.status() + "', " + (row.owner() == null ? "NULL" : "'" + row.owner() + "'")
                    + ", " + row.fence() + ", " + now + ", " + (started ? now : "NULL") + ", " + (started ? activity : "NULL") + ", "
                    + (started && !row.status().isActive() ? now : "NULL") + ")"));
            // the lease agrees with the runs: held by the active run, else free at the key's fence
            if (row.status().isActive()) {
                leases.put(row.key(), "('" + row.key() + "', " + id + ", " + row.fence() + ", " + activity + ")");
            } else if (started) {
                leases.putIfAbsent(row.key(), "('" + row.key() + "', NULL, " + row.fence() + ", " + now + ")");
            }
        }
        leases.values().forEach(values -> sql.add(tables.rename("INSERT INTO lockstep_lease (lease_key, run_id, fence, taken_at) VALUES " + values)));
        return sql.toArray(String[]::new);
    }

    // --- the actors ----------------------------------------------------------------------------------

    /** What an actor's operation came to, as it reads in a report; {@link #toString} is the text. */
    record Acted(Operation operation, Kind kind, long runId, long fence, String owner, String text) {

        enum Kind { CLAIMED, CANCELLED, LEFT, WROTE, REFUSED_AND_CANCELLED, REFUSED, NOTHING }

        boolean won() {
            return kind == Kind.CLAIMED || kind == Kind.CANCELLED || kind == Kind.WROTE;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private Acted act(Move move, DataSource ds) throws SQLException {
        Coordinator runs = Coordinator.create(ds, Coordinator.Options.of(strategy).withStaleAfter(LockstepScenarios.STALE_AFTER).withSchemaCheck(false)
                .withTables(tables));
        Operation op = move.operation();
        String me = move.actor();
        try {
            return switch (op) {
                case BEGIN -> hold(op, runs, runs.begin(move.key(), "begin-" + me, me), ds);
                case START -> hold(op, runs, runs.start(move.target(), me), ds);
                case RESUME, TAKEOVER -> hold(op, runs, runs.resume(move.target(), me), ds);
                case CLAIM_NEXT -> {
                    Optional<Claim> claim = runs.claimNextPending(me);
                    yield claim.isPresent() ? hold(op, runs, claim.get(), ds)
                            : new Acted(op, Acted.Kind.NOTHING, 0, 0, me, "nothing to claim");
                }
                case CANCEL -> {
                    CancelOutcome cancel = runs.cancel(move.target());
                    yield cancel.cancelled()
                            ? new Acted(op, Acted.Kind.CANCELLED, cancel.runId(), 0, me, "cancelled run " + cancel.runId() + " (was " + cancel.statusSeen() + ")")
                            : new Acted(op, Acted.Kind.LEFT, cancel.runId(), 0, me, "left run " + cancel.runId() + " " + cancel.statusSeen());
                }
                case COMPLETE, FAIL, PAUSE, HEARTBEAT -> {
                    Row held = move.targetRow();
                    Claim claim = new Claim(move.target(), held.key(), held.owner(), held.fence());
                    switch (op) {
                        case COMPLETE -> runs.complete(claim);
                        case FAIL -> runs.fail(claim);
                        case PAUSE -> runs.pause(claim);
                        default -> runs.heartbeat(claim);
                    }
                    yield new Acted(op, Acted.Kind.WROTE, claim.runId(), claim.fence(), claim.owner(), op.label + " of run " + claim.runId() + " took");
                }
            };
        } catch (AlreadyActiveException e) {
            require(op, e, Operation.BEGIN, Operation.START, Operation.RESUME, Operation.TAKEOVER);
            return new Acted(op, e.refusedRunCancelled() ? Acted.Kind.REFUSED_AND_CANCELLED : Acted.Kind.REFUSED, e.runId(), 0, me,
                    "refused: run " + e.holderId() + " is " + e.holderStatus()
                            + (e.runId() == 0 ? "" : e.refusedRunCancelled() ? "; run " + e.runId() + " cancelled" : "; run " + e.runId() + " left as it was"));
        } catch (InvalidTransitionException e) {
            if (!(op == Operation.BEGIN && strategy == Strategy.PENDING_INCLUSIVE_GUARD)) { // its run cancelled between its two phases
                require(op, e, Operation.START, Operation.COMPLETE, Operation.FAIL, Operation.PAUSE, Operation.HEARTBEAT);
            }
            return refused(op, e.runId(), me, "run " + e.runId() + " is " + e.status());
        } catch (NotResumableException e) {
            require(op, e, Operation.RESUME, Operation.TAKEOVER);
            return refused(op, e.runId(), me, "not resumable: run " + e.runId() + " is " + e.status());
        } catch (StaleFenceException e) {
            require(op, e, Operation.COMPLETE, Operation.FAIL, Operation.PAUSE, Operation.HEARTBEAT);
            return refused(op, e.claim().runId(), me, "stale fence " + e.claim().fence() + ": run " + e.claim().runId() + " is at fence " + e.currentFence());
        } catch (RunNotFoundException e) {
            require(op, e, Operation.CANCEL);
            return refused(op, e.runId(), me, "no run " + e.runId());
        }
        // LockTimeoutException and ContentionException are documented, but between two actors they mean that
        // a wait never ended or that lock-core gave up: both are failures here, so they are not caught
    }

    /** Rethrows {@code e} unless {@code op} is one of the operations that document it. */
    private static void require(Operation op, LockstepException e, Operation... documentedBy) {
        if (!List.of(documentedBy).contains(op)) {
            throw e;
        }
    }

    private static Acted refused(Operation op, long runId, String actor, String text) {
        return new Acted(op, Acted.Kind.REFUSED, runId, 0, actor, text);
    }

    /**
     * What an executor does with a claim: a fenced heartbeat proves it still holds the run, and only
     * then does it execute (a row in {@code lockstep_exec}).
     */
    private Acted hold(Operation op, Coordinator runs, Claim claim, DataSource ds) throws SQLException {
        String got = (op == Operation.CLAIM_NEXT ? "claimed" : op == Operation.BEGIN ? "began" : op == Operation.START ? "started"
                : op == Operation.TAKEOVER ? "took over" : "resumed") + " run " + claim.runId() + " at fence " + claim.fence();
        try {
            runs.heartbeat(claim);
        } catch (StaleFenceException | InvalidTransitionException lost) {
            return new Acted(op, Acted.Kind.CLAIMED, claim.runId(), claim.fence(), claim.owner(), got + ", then lost it: " + lost.getClass().getSimpleName());
        }
        try (Connection c = ds.getConnection()) {
            LockstepScenarios.execute(c, claim.owner(), claim, tables);
        }
        return new Acted(op, Acted.Kind.CLAIMED, claim.runId(), claim.fence(), claim.owner(), got + ", executed");
    }

    // --- outcomes against the final table ------------------------------------------------------------

    private record Final(RunStatus status, String owner, long fence) {}

    /**
     * Whether each actor's outcome agrees with the runs as they ended: a claim was really given (the
     * run carries its owner at its fence, or a later fence); a cancel that says it cancelled left the
     * run cancelled, and one that found the run finished left it so; a complete that took left the run
     * completed, a fail that took left it failed unless someone cancelled or resumed it since; a refused start whose
     * run the refusal says is cancelled left it cancelled.
     */
    private static boolean agrees(Map<String, Acted> ledger, Connection observer, TableNames tables) throws SQLException {
        Map<Long, Final> runs = new HashMap<>();
        try (Statement s = observer.createStatement();
                ResultSet rs = s.executeQuery(tables.rename("SELECT id, status, owner, fence FROM lockstep_run"))) {
            while (rs.next()) {
                runs.put(rs.getLong(1), new Final(RunStatus.fromDb(rs.getString(2)), rs.getString(3), rs.getLong(4)));
            }
        }
        for (Acted acted : ledger.values()) {
            Final run = runs.get(acted.runId());
            boolean agrees = switch (acted.kind()) {
                case CLAIMED -> run != null && (run.fence() > acted.fence() || run.fence() == acted.fence() && acted.owner().equals(run.owner()));
                case CANCELLED, REFUSED_AND_CANCELLED -> run != null && run.status() == RunStatus.CANCELLED;
                case LEFT -> run != null && run.status().isTerminal();
                case WROTE -> switch (acted.operation()) {
                    case COMPLETE -> run.status() == RunStatus.COMPLETED;
                    case FAIL -> run.status() == RunStatus.FAILED || run.status() == RunStatus.CANCELLED || run.fence() > acted.fence();
                    default -> true;
                };
                case REFUSED, NOTHING -> true;
            };
            if (!agrees) {
                return false;
            }
        }
        return true;
    }
}
