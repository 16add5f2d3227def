package dev.lockstep.examples;

import dev.lockstep.core.Database;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.dsl.Actor;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.explore.Exploration;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.scheduler.ScenarioRunner;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import dev.lockstep.testsupport.LockstepScenarios;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * How fast the race harness runs schedules: start-start (two runs of one key, each created then
 * started) per strategy and database. Prints, side by side in one JVM, the median over rounds of
 * schedules per second under the random explorer, and the wall time of a complete exhaustive
 * exploration; what a step that waits for another actor's lock costs a run, and what one look of the
 * blocking probe costs where the harness polls. With {@code --memory N}, then runs N random schedules
 * on SQLite in one runner and prints the heap in use (after a GC) at the start, every N/5 schedules,
 * and at the end.
 *
 * <p>Usage: {@code HarnessBenchmark [--rounds R] [--schedules S] [--memory N] [--database sqlite|postgresql|mariadb]}
 * (all three unless one is named).
 */
public final class HarnessBenchmark {

    private HarnessBenchmark() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("org.jooq.no-logo", "true"); // a program's output, not a library's banner
        System.setProperty("org.jooq.no-tips", "true");
        int rounds = intArg(args, "--rounds", 3);
        int schedules = intArg(args, "--schedules", 500);
        int memory = intArg(args, "--memory", 0);
        List<DatabaseKind> kinds = databases(args);
        System.out.printf("race harness benchmark: start-start, median of %d rounds, %d random schedules per round%n", rounds, schedules);
        System.out.printf("%-12s %-22s %14s %12s %16s%n", "database", "strategy", "schedules/s", "exhaustive", "exhaustive time");
        for (DatabaseKind kind : kinds) {
            try (TestDatabase db = TestDatabases.shared().create(kind)) {
                for (Strategy strategy : Strategy.values()) {
                    if (strategy.isSafe()) {
                        measure(db, kind, strategy, rounds, schedules);
                    }
                }
            }
        }
        System.out.println();
        System.out.println("where a step's time goes: 2 actors x 10 statements of SELECT 1, no invariants");
        System.out.printf("%-12s %16s %16s %22s %16s%n", "database", "direct µs/stmt", "harness µs/step", "harness+invariant µs", "µs per run");
        inEach(kinds, db -> probe(db, rounds));
        System.out.println();
        System.out.println("a wait: 2 actors, each begins, locks a row and commits; B's lock waits for A's commit, or takes another row");
        System.out.printf("%-12s %16s %16s %14s %18s%n", "database", "ms/run, no wait", "ms/run, a wait", "wait costs ms", "probe µs/look");
        inEach(kinds, db -> waits(db, rounds));
        if (memory > 0) {
            memory(memory);
        }
    }

    /**
     * What a wait costs the harness: the same two transactions run with one of B's statements waiting
     * for A (which the harness has to notice: by polling on PostgreSQL and MariaDB, told by the busy
     * handler on SQLite) and without, side by side; and, where the harness polls, what one look at a
     * waiting session sends, sent directly.
     */
    private static void waits(TestDatabase db, int rounds) throws Exception {
        DatabaseKind kind = db.kind();
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("CREATE TABLE probe_row (id INTEGER PRIMARY KEY)");
            s.execute("INSERT INTO probe_row (id) VALUES (1), (2)");
        }
        int runs = 100;
        double[] free = new double[rounds];
        double[] waiting = new double[rounds];
        double[] look = new double[rounds];
        try (ScenarioRunner apart = new ScenarioRunner(lockTwoRows(kind, false), db.dataSource(), Duration.ofSeconds(30));
             ScenarioRunner together = new ScenarioRunner(lockTwoRows(kind, true), db.dataSource(), Duration.ofSeconds(30))) {
            // SQLite's second BEGIN IMMEDIATE waits; elsewhere B's row lock (its second statement) does
            String schedule = kind == DatabaseKind.SQLITE ? "A A B A B B" : "A A B B A B";
            for (int r = -1; r < rounds; r++) { // round -1 warms up
                double f = millisPerRun(apart, schedule, runs);
                double w = millisPerRun(together, schedule, runs);
                if (r >= 0) {
                    free[r] = f;
                    waiting[r] = w;
                    look[r] = probeMicros(db);
                }
            }
        }
        System.out.printf("%-12s %16.2f %16.2f %14.2f %18s%n", kind, median(free), median(waiting), median(waiting) - median(free),
                kind == DatabaseKind.SQLITE ? "(told, not polled)" : String.format("%.0f", median(look)));
    }

    private static Scenario lockTwoRows(DatabaseKind kind, boolean sameRow) {
        String begin = switch (kind) {
            case SQLITE -> "BEGIN IMMEDIATE";
            case MARIADB -> "START TRANSACTION";
            default -> "BEGIN";
        };
        String lockA = kind == DatabaseKind.SQLITE ? "SELECT id FROM probe_row WHERE id = 1" : "SELECT id FROM probe_row WHERE id = 1 FOR UPDATE";
        String lockB = kind == DatabaseKind.SQLITE ? lockA : lockA.replace("id = 1", sameRow ? "id = 1" : "id = 2");
        String beginB = kind == DatabaseKind.SQLITE && !sameRow ? "BEGIN" : begin; // a deferred BEGIN takes no lock
        return Race.scenario(sameRow ? "one wait" : "no wait")
                .actor("A", ds -> statements(ds, begin, lockA, "COMMIT"))
                .actor("B", ds -> statements(ds, beginB, lockB, "COMMIT"))
                .build();
    }

    private static Object statements(DataSource ds, String... sql) throws SQLException {
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
        return null;
    }

    private static double millisPerRun(ScenarioRunner runner, String schedule, int runs) {
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            var run = runner.run(Explorer.follow(dev.lockstep.dsl.Schedule.parse(schedule)));
            if (!(run.verdict() instanceof dev.lockstep.harness.explore.Verdict.Passed)) {
                throw new IllegalStateException("the wait scenario did not pass: " + run.verdict().summary());
            }
        }
        return (System.nanoTime() - start) / 1e6 / runs;
    }

    /**
     * One look at a waiting session, as the harness's blocking probe sends it: PostgreSQL's
     * {@code pg_blocking_pids}; MariaDB's process list and InnoDB status (its lock-wait tables are read
     * only when more than one transaction could be the holder). Median of 500 looks, in µs.
     */
    private static double probeMicros(TestDatabase db) throws SQLException {
        if (db.kind() == DatabaseKind.SQLITE) {
            return 0;
        }
        boolean postgres = db.kind() == DatabaseKind.POSTGRESQL;
        List<String> look = postgres ? List.of("SELECT pid FROM unnest(pg_blocking_pids(pg_backend_pid())) AS b(pid)")
                : List.of("SHOW FULL PROCESSLIST", "SHOW ENGINE INNODB STATUS");
        double[] micros = new double[500];
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            for (int i = 0; i < micros.length; i++) {
                long start = System.nanoTime();
                for (String sql : look) {
                    s.executeQuery(sql).close();
                }
                micros[i] = (System.nanoTime() - start) / 1e3;
            }
        }
        return median(micros);
    }

    /** Runs {@code part} in a fresh database of each kind. */
    private static void inEach(List<DatabaseKind> kinds, Part part) throws Exception {
        for (DatabaseKind kind : kinds) {
            try (TestDatabase db = TestDatabases.shared().create(kind)) {
                part.run(db);
            }
        }
    }

    @FunctionalInterface
    private interface Part {
        void run(TestDatabase db) throws Exception;
    }

    /**
     * The harness's own cost per step, side by side with the same statement sent directly: the
     * difference is the hand-off between the scheduler and an actor thread (and back).
     */
    private static void probe(TestDatabase db, int rounds) throws Exception {
        int statements = 10;
        Scenario bare = selects("probe", statements, false);
        Scenario checked = selects("probe with invariant", statements, true);
        double[] direct = new double[rounds];
        double[] harness = new double[rounds];
        double[] withInvariant = new double[rounds];
        int runs = 200;
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                for (int i = 0; i < runs * 2 * statements; i++) {
                    s.executeQuery("SELECT 1").close();
                }
                direct[r] = (System.nanoTime() - start) / 1e3 / (runs * 2 * statements);
            }
        }
        double[] perRun = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            harness[r] = perStep(bare, db, runs, statements);
            withInvariant[r] = perStep(checked, db, runs, statements);
            // a run of 1 statement per actor against one of 10: the slope is the cost of a step, the rest is per run
            double one = perStep(selects("probe", 1, false), db, runs, 1) * 2;
            double ten = harness[r] * 2 * statements;
            double step = (ten - one) / (2 * statements - 2);
            harness[r] = step;
            perRun[r] = one - 2 * step;
        }
        System.out.printf("%-12s %16.1f %16.1f %22.1f %16.0f%n", db.kind(), median(direct), median(harness), median(withInvariant), median(perRun));
    }

    private static double perStep(Scenario scenario, TestDatabase db, int runs, int statements) {
        try (ScenarioRunner runner = new ScenarioRunner(scenario, db.dataSource(), Duration.ofSeconds(30))) {
            Explorer.random(7, 20).keepGoing().explore(runner);
            long start = System.nanoTime();
            Explorer.random(11, runs).keepGoing().explore(runner);
            return (System.nanoTime() - start) / 1e3 / (runs * 2 * statements);
        }
    }

    private static Scenario selects(String name, int statements, boolean invariant) {
        Actor.Body body = ds -> {
            try (var c = ds.getConnection(); var s = c.createStatement()) {
                for (int i = 0; i < statements; i++) {
                    s.executeQuery("SELECT 1").close();
                }
            }
            return null;
        };
        var builder = Race.scenario(name).actor("A", body).actor("B", body);
        if (invariant) {
            // checked after every step: a plain SELECT would be skipped, so the probe's actors "write"
            builder = Race.scenario(name)
                    .actor("A", ds -> writes(ds, statements)).actor("B", ds -> writes(ds, statements))
                    .invariant("nothing", "SELECT 1 WHERE 1 = 0");
        }
        return builder.build();
    }

    private static Object writes(DataSource ds, int statements) throws SQLException {
        try (var c = ds.getConnection(); var s = c.createStatement()) {
            for (int i = 0; i < statements; i++) {
                s.execute("VALUES (1)");
            }
        }
        return null;
    }

    private static void measure(TestDatabase db, DatabaseKind kind, Strategy strategy, int rounds, int schedules) {
        Schema.install(db.dataSource(), strategy);
        Scenario scenario = scenarios(kind, strategy).startStart();
        double[] rates = new double[rounds];
        double[] exhaustiveMillis = new double[rounds];
        int exhaustiveRuns = 0;
        try (ScenarioRunner runner = new ScenarioRunner(scenario, db.dataSource(), Duration.ofSeconds(30))) {
            Explorer.random(1, 20).keepGoing().explore(runner); // warm up the JIT and the connections
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                Exploration random = Explorer.random(r, schedules).keepGoing().explore(runner);
                rates[r] = random.runs() / ((System.nanoTime() - start) / 1e9);
                check(random);
                start = System.nanoTime();
                Exploration exhaustive = Explorer.exhaustive(100_000).explore(runner);
                exhaustiveMillis[r] = (System.nanoTime() - start) / 1e6;
                check(exhaustive);
                exhaustiveRuns = exhaustive.runs();
            }
        }
        System.out.printf("%-12s %-22s %14.0f %12s %13.0f ms%n", db.kind(), strategy.label(), median(rates),
                exhaustiveRuns + " runs", median(exhaustiveMillis));
        dropTables(db);
    }

    private static void memory(int schedules) throws Exception {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.SQLITE)) {
            Schema.install(db.dataSource(), Strategy.ADVISORY_LOCK);
            Scenario scenario = scenarios(DatabaseKind.SQLITE, Strategy.ADVISORY_LOCK).startStart();
            try (ScenarioRunner runner = new ScenarioRunner(scenario, db.dataSource(), Duration.ofSeconds(30))) {
                System.out.printf("%nmemory: %d random schedules of start-start (advisory-lock) on SQLite in one runner%n", schedules);
                int step = Math.max(1, schedules / 5);
                List<String> samples = new ArrayList<>();
                samples.add(String.format("%8d schedules: %6.1f MiB used", 0, usedMiB()));
                long start = System.nanoTime();
                for (int done = 0; done < schedules; done += step) {
                    Exploration e = Explorer.random(done, Math.min(step, schedules - done)).keepGoing().explore(runner);
                    check(e);
                    samples.add(String.format("%8d schedules: %6.1f MiB used", done + e.runs(), usedMiB()));
                }
                samples.forEach(System.out::println);
                System.out.printf("%.0f schedules/s over the whole run%n", schedules / ((System.nanoTime() - start) / 1e9));
            }
        }
    }

    private static LockstepScenarios scenarios(DatabaseKind kind, Strategy strategy) {
        return new LockstepScenarios(strategy, switch (kind) {
            case SQLITE -> Database.SQLITE;
            case POSTGRESQL -> Database.POSTGRESQL;
            case MARIADB -> Database.MARIADB;
        });
    }

    private static void check(Exploration exploration) {
        if (exploration.failed()) {
            throw new IllegalStateException("a safe strategy broke during the benchmark: " + exploration);
        }
    }

    private static void dropTables(TestDatabase db) {
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("DROP TABLE lockstep_run");
            s.execute("DROP TABLE lockstep_lease");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double usedMiB() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return (runtime.totalMemory() - runtime.freeMemory()) / (1024.0 * 1024.0);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The databases lock-core's strategies run on. */
    private static final List<DatabaseKind> SUPPORTED = List.of(DatabaseKind.SQLITE, DatabaseKind.POSTGRESQL, DatabaseKind.MARIADB);

    private static List<DatabaseKind> databases(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--database")) {
                DatabaseKind kind = DatabaseKind.valueOf(args[i + 1].toUpperCase(java.util.Locale.ROOT));
                if (!SUPPORTED.contains(kind)) {
                    throw new IllegalArgumentException("--database " + args[i + 1] + ": the benchmark runs lock-core's"
                            + " strategies, which run on " + SUPPORTED + " only");
                }
                return List.of(kind);
            }
        }
        return SUPPORTED;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
