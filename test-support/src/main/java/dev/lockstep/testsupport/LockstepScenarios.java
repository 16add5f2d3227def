package dev.lockstep.testsupport;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.CancelOutcome;
import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Database;
import dev.lockstep.core.InvalidTransitionException;
import dev.lockstep.core.NotResumableException;
import dev.lockstep.core.Run;
import dev.lockstep.core.RunStatus;
import dev.lockstep.core.StaleFenceException;
import dev.lockstep.core.Strategy;
import dev.lockstep.core.TableNames;
import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The races lock-core must survive, as harness scenarios: each actor drives the real Coordinator on
 * the DataSource the harness gives it, so every statement lock-core sends is a yield point.
 */
public final class LockstepScenarios {

    /** An invariant query: the keys with more than one active ({@code running} or {@code paused}) run; empty when the guarantee holds. */
    public static final String ONE_ACTIVE_PER_KEY =
            "SELECT run_key, count(*) AS active FROM lockstep_run WHERE status IN ('running', 'paused') GROUP BY run_key HAVING count(*) > 1";
    /** An invariant query: the runs recorded in {@code lockstep_exec} more than once (see {@link #execute}); empty when none was. */
    public static final String EXECUTED_AT_MOST_ONCE =
            "SELECT run_id, count(*) AS executions FROM lockstep_exec GROUP BY run_id HAVING count(*) > 1";
    /** The scenarios' coordinators' {@code staleAfter}: long enough that no run goes stale unless a setup makes it so. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(5);

    private final Strategy strategy;
    private final Database database;
    private final TableNames tables;

    public LockstepScenarios(Strategy strategy, Database database) {
        this(strategy, database, TableNames.DEFAULT);
    }

    /** The scenarios on lock-core's tables named and placed as {@code tables} says: its coordinators and every statement of theirs. */
    public LockstepScenarios(Strategy strategy, Database database, TableNames tables) {
        this.strategy = strategy;
        this.database = database;
        this.tables = tables;
    }

    private Coordinator coordinator(DataSource actorDataSource) {
        return Coordinator.create(actorDataSource, Coordinator.Options.of(strategy).withStaleAfter(STALE_AFTER).withSchemaCheck(false)
                .withTables(tables));
    }

    /** {@code sql}, written with lock-core's default table names, on this instance's tables. */
    private String sql(String sql) {
        return tables.rename(sql);
    }

    /** The database clock in epoch milliseconds, as SQL, for rows the setup writes directly. */
    private String now() {
        return database.nowMillisSql();
    }

    /**
     * Empties lock-core's tables and makes the next generated run id 1 again, so that every schedule
     * starts from the same state: without the restart, ids grow from schedule to schedule, and a
     * printed counterexample's ids would differ from its replay's; without emptying MariaDB's key-lock
     * table, only the first schedule would create its key's lock row.
     */
    public static List<String> emptyTables(Database database) {
        return emptyTables(database, TableNames.DEFAULT);
    }

    /** As {@link #emptyTables(Database)}, for the tables {@code tables} names. */
    public static List<String> emptyTables(Database database, TableNames tables) {
        return statements(database).stream().map(tables::rename).toList();
    }

    private static List<String> statements(Database database) {
        return switch (database) {
            case POSTGRESQL -> List.of("DELETE FROM lockstep_run", "DELETE FROM lockstep_lease",
                    "SELECT setval(pg_get_serial_sequence('lockstep_run', 'id'), 1, false)");
            case SQLITE -> List.of("DELETE FROM lockstep_run", "DELETE FROM lockstep_lease",
                    "DELETE FROM sqlite_sequence WHERE name = 'lockstep_run'");
            // TRUNCATE restarts the ids too, in a fraction of ALTER TABLE ... AUTO_INCREMENT's time (7-20 ms against 17-69 ms
            // measured, on a loaded machine); both are DDL, which commits first
            case MARIADB -> List.of("TRUNCATE TABLE lockstep_run", "DELETE FROM lockstep_lease", "DELETE FROM lockstep_key_lock");
        };
    }

    private Scenario.Builder named(String name) {
        return Race.scenario(name + " (" + strategy.label() + ")")
                .setup(this::emptyTables)
                .invariant("at most one active run per key", sql(ONE_ACTIVE_PER_KEY));
    }

    /**
     * Empties the tables and restarts run ids, in one transaction: one commit per schedule rather than
     * three (on SQLite each commit writes the WAL; profiled, these commits were half of the scheduler
     * thread's time between runs).
     */
    private void emptyTables(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (String sql : emptyTables(database, tables)) {
                statement.execute(sql);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The original bug: two runs of one key, each created pending, then started. */
    public Scenario startStart() {
        return named("start-start")
                .actor("A", ds -> createThenStart(ds, "A"))
                .actor("B", ds -> createThenStart(ds, "B"))
                .expect("at most one actor starts", outcomes -> outcomes.returned(Claim.class) <= 1)
                .build();
    }

    private Object createThenStart(DataSource ds, String owner) {
        Coordinator runs = coordinator(ds);
        Run run = runs.create("/srv/work/repo", "build");
        try {
            return runs.start(run.id(), owner);
        } catch (AlreadyActiveException refused) {
            return "refused";
        }
    }

    /**
     * The pending-inclusive guard's documented limit: B's orchestrator creates its run inside a
     * transaction that commits late. B's run is older, but invisible to A's guard until it commits.
     */
    public Scenario lateCommittingPreCreate() {
        return named("late pre-create")
                .actor("A", ds -> createThenStart(ds, "A"))
                .actor("B", ds -> {
                    long id;
                    try (Connection c = ds.getConnection()) {
                        c.setAutoCommit(false);
                        try (PreparedStatement insert = c.prepareStatement(
                                sql("INSERT INTO lockstep_run (run_key, name, status, fence, created_at) VALUES ('/srv/work/repo', 'build', 'pending', 0, "
                                        + now() + ")"), Statement.RETURN_GENERATED_KEYS)) {
                            insert.executeUpdate();
                            try (ResultSet keys = insert.getGeneratedKeys()) {
                                keys.next();
                                id = keys.getLong(1);
                            }
                        }
                        c.commit();
                    }
                    try {
                        return coordinator(ds).start(id, "B");
                    } catch (AlreadyActiveException refused) {
                        return "refused";
                    }
                })
                .build();
    }

    /** Two resumes of one failed run: exactly one wins, the other is told the run is running. */
    public Scenario resumeResume() {
        return named("resume-resume")
                .setupSql(sql("INSERT INTO lockstep_run (id, run_key, name, status, owner, fence, created_at, started_at, last_activity_at, completed_at) "
                        + "VALUES (1, '/srv/work/repo', 'build', 'failed', 'executor-0', 1, " + now() + ", " + now() + ", " + now() + ", " + now() + ")"))
                .actor("A", ds -> resume(ds, "A"))
                .actor("B", ds -> resume(ds, "B"))
                .expect("exactly one resume wins", outcomes -> outcomes.returned(Claim.class) == 1)
                .expect("the other is told the run is running",
                        outcomes -> outcomes.count(o -> o.returned(String.class) && "not-resumable:running".equals(((Outcome.Returned) o).value())) == 1)
                .build();
    }

    private Object resume(DataSource ds, String owner) {
        try {
            return coordinator(ds).resume(1, owner);
        } catch (NotResumableException e) {
            return "not-resumable:" + e.status();
        }
    }

    /** A cancel racing the holder's complete: never a resurrected or double-finished run, never a false success. */
    public Scenario cancelComplete() {
        return named("cancel-complete")
                .setupSql(runningRun(1, "executor-0", 1, false))
                .actor("A", ds -> coordinator(ds).cancel(1))
                .actor("B", ds -> {
                    try {
                        coordinator(ds).complete(new Claim(1, "/srv/work/repo", "executor-0", 1));
                        return "completed";
                    } catch (InvalidTransitionException e) {
                        return "refused:" + e.status();
                    }
                })
                .finalInvariant("the run ends cancelled or completed, stamped once",
                        sql("SELECT id FROM lockstep_run WHERE status NOT IN ('cancelled', 'completed') OR completed_at IS NULL"))
                .expect("exactly one of cancel and complete wins, and each reports the truth", outcomes -> {
                    CancelOutcome cancel = (CancelOutcome) ((Outcome.Returned) outcomes.of("A")).value();
                    Object complete = ((Outcome.Returned) outcomes.of("B")).value();
                    return cancel.cancelled()
                            ? "refused:cancelled".equals(complete) && cancel.statusSeen() == RunStatus.RUNNING
                            : "completed".equals(complete) && cancel.statusSeen() == RunStatus.COMPLETED;
                })
                .build();
    }

    /** Two executors claiming the one pending run: exactly one gets it. */
    public Scenario dispatch() {
        return named("dispatch")
                .setupSql(pendingRun(1))
                .actor("A", ds -> coordinator(ds).claimNextPending("A"))
                .actor("B", ds -> coordinator(ds).claimNextPending("B"))
                .expect("exactly one executor claims the run", outcomes -> outcomes.count(
                        o -> o instanceof Outcome.Returned r && r.value() instanceof Optional<?> claim && claim.isPresent()) == 1)
                .build();
    }

    /**
     * An executor's claim-next and a start of the same pending run, the pair that deadlocked on
     * PostgreSQL when claim-next locked the run row before the key and start the key before the run
     * row. Exactly one of them starts the run, and neither waits for the other in a cycle.
     */
    public Scenario claimNextStart() {
        return named("claim-next vs start")
                .setupSql(pendingRun(1))
                .actor("A", ds -> claimNext(ds, "A"))
                .actor("B", ds -> {
                    try {
                        return coordinator(ds).start(1, "B");
                    } catch (InvalidTransitionException e) {
                        return "not pending:" + e.status();
                    }
                })
                .expect("exactly one of them starts the run", outcomes -> outcomes.returned(Claim.class) == 1)
                .build();
    }

    /**
     * A begin and an executor's claim-next on an empty table. The begin's run is its own: claim-next
     * must never take it (once it did, the begin went on to create and start a second run, so one
     * begin caused two executions), and no run is left pending.
     */
    public Scenario beginClaimNext() {
        return named("begin vs claim-next")
                .actor("A", ds -> {
                    try {
                        return coordinator(ds).begin("/srv/work/repo", "build", "A");
                    } catch (AlreadyActiveException refused) {
                        return "refused";
                    }
                })
                .actor("B", ds -> claimNext(ds, "B"))
                .invariant("one begin creates at most one run", sql("SELECT count(*) AS runs FROM lockstep_run HAVING count(*) > 1"))
                .finalInvariant("no run is left pending", sql("SELECT id, status FROM lockstep_run WHERE status = 'pending'"))
                .expect("the begin holds the only claim", outcomes -> outcomes.of("A").returned(Claim.class)
                        && outcomes.returned(Claim.class) == 1)
                .build();
    }

    /**
     * A writer outside lock-core that locks a run's row and then the run's key, the opposite of
     * lock-core's lock order, racing a start of that run: a deadlock lock-core cannot prevent, only
     * survive. When the start's attempt is the database's victim it is made again, and starts the run.
     * Empty for strategies without a key lock, with which this writer cannot deadlock a start.
     */
    public Optional<Scenario> anotherWriterAgainstStart() {
        String key = "/srv/work/repo";
        Optional<String> keyLock = switch (strategy) {
            case ADVISORY_LOCK -> switch (database) {
                case POSTGRESQL -> Optional.of("SELECT pg_advisory_xact_lock(" + Coordinator.Options.of(strategy).advisoryLockId(key) + ")");
                // the key-lock row, named as lock-core names it: SHA-256 of namespace, a zero byte and the key
                case MARIADB -> Optional.of(sql("SELECT lock_hash FROM lockstep_key_lock WHERE lock_hash = " + keyLockHash(key) + " FOR UPDATE"));
                case SQLITE -> Optional.empty();
            };
            case ON_CONFLICT_LEASE -> switch (database) {
                case POSTGRESQL -> Optional.of(sql("SELECT lease_key FROM lockstep_lease WHERE lease_key = '" + key + "' FOR UPDATE"));
                case MARIADB -> Optional.of(sql("SELECT lease_key FROM lockstep_lease WHERE lease_hash = UNHEX(SHA2('" + key + "', 256)) FOR UPDATE"));
                case SQLITE -> Optional.empty();
            };
            default -> Optional.empty();
        };
        List<String> setup = new ArrayList<>(List.of(pendingRun(1),
                sql("INSERT INTO lockstep_lease (lease_key, run_id, fence, taken_at) VALUES ('" + key + "', NULL, 0, " + now() + ")")));
        if (database == Database.MARIADB && strategy == Strategy.ADVISORY_LOCK) {
            setup.add(sql("INSERT INTO lockstep_key_lock (lock_hash) VALUES (" + keyLockHash(key) + ")")); // the lock row a start before would have made
        }
        return keyLock.map(lockTheKey -> named("another writer vs start")
                .setupSql(setup.toArray(String[]::new))
                .actor("A", ds -> coordinator(ds).start(1, "A"))
                .session("X", steps -> steps.step("BEGIN")
                        .step(sql("SELECT id FROM lockstep_run WHERE id = 1 FOR UPDATE"))
                        .step(lockTheKey)
                        .step("COMMIT"))
                .build());
    }

    private String keyLockHash(String key) {
        return "UNHEX(SHA2(CONCAT('" + Coordinator.Options.DEFAULT_LOCK_NAMESPACE + "', CHAR(0), '" + key + "'), 256))";
    }

    private Object claimNext(DataSource ds, String owner) {
        return coordinator(ds).claimNextPending(owner).<Object>map(claim -> claim).orElse("nothing to claim");
    }

    private String pendingRun(long id) {
        return sql("INSERT INTO lockstep_run (id, run_key, name, status, fence, created_at) VALUES (" + id
                + ", '/srv/work/repo', 'build', 'pending', 0, " + now() + ")");
    }

    /**
     * A run started by executor A, whose heartbeats stopped (stale), is re-dispatched to B while A is
     * still alive. Each executor that believes it holds the run executes it once (a row in
     * lockstep_exec), then completes. With {@code fenced}, A proves it still holds the run with a
     * fenced heartbeat; without, it only checks that the run is running — the bug.
     */
    public Scenario redispatch(boolean fenced) {
        return named(fenced ? "re-dispatch, fenced" : "re-dispatch, unfenced")
                .setupSql("DELETE FROM lockstep_exec", runningRun(1, "A", 1, true))
                .actor("A", ds -> {
                    Coordinator runs = coordinator(ds);
                    Claim mine = new Claim(1, "/srv/work/repo", "A", 1);
                    try (Connection c = ds.getConnection()) {
                        if (fenced) {
                            runs.heartbeat(mine);
                        } else if (!stillRunning(c)) {
                            return "gave up";
                        }
                        execute(c, "A", mine, tables);
                    } catch (StaleFenceException | InvalidTransitionException lost) {
                        return "gave up";
                    }
                    if (fenced) {
                        runs.complete(mine);
                    }
                    return "executed";
                })
                .actor("B", ds -> {
                    Coordinator runs = coordinator(ds);
                    Claim taken;
                    try {
                        taken = runs.resume(1, "B");
                    } catch (NotResumableException e) {
                        return "not-resumable:" + e.status();
                    }
                    try (Connection c = ds.getConnection()) {
                        execute(c, "B", taken, tables);
                    }
                    runs.complete(taken);
                    return "executed";
                })
                .invariant("a run is executed at most once", EXECUTED_AT_MOST_ONCE)
                .build();
    }

    private boolean stillRunning(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql("SELECT status FROM lockstep_run WHERE id = 1"));
             ResultSet rs = s.executeQuery()) {
            return rs.next() && "running".equals(rs.getString(1));
        }
    }

    /**
     * Records that {@code executor} executes the run it holds with {@code claim}, beside the fence the
     * run has at that moment: an execution whose fence is not the run's is one by a stale holder.
     */
    public static void execute(Connection c, String executor, Claim claim) throws SQLException {
        execute(c, executor, claim, TableNames.DEFAULT);
    }

    /** As {@link #execute(Connection, String, Claim)}, reading the fence from the runs table {@code tables} names. */
    public static void execute(Connection c, String executor, Claim claim, TableNames tables) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(tables.rename(
                "INSERT INTO lockstep_exec (run_id, executor, fence, fence_seen) SELECT id, ?, ?, fence FROM lockstep_run WHERE id = ?"))) {
            s.setString(1, executor);
            s.setLong(2, claim.fence());
            s.setLong(3, claim.runId());
            s.executeUpdate();
        }
    }

    /** A running run of key /srv/work/repo; {@code stale}: its last activity is an hour old. */
    private String runningRun(long id, String owner, long fence, boolean stale) {
        String activity = stale ? "(" + now() + " - 3600000)" : now();
        return sql("INSERT INTO lockstep_run (id, run_key, name, status, owner, fence, created_at, started_at, last_activity_at) VALUES ("
                + id + ", '/srv/work/repo', 'build', 'running', '" + owner + "', " + fence + ", " + now() + ", " + now() + ", " + activity + ")");
    }
}
