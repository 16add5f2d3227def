package dev.lockstep.contract;

import static dev.lockstep.harness.junit.RaceAssertions.assertNoForbiddenOutcome;
import static dev.lockstep.harness.junit.RaceAssertions.assertNoRace;
import static dev.lockstep.harness.junit.RaceAssertions.assertRaceFound;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Database;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.core.TableNames;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Exploration;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.harness.scheduler.ScenarioRunner;
import dev.lockstep.harness.stress.StressResult;
import dev.lockstep.harness.stress.StressTest;
import dev.lockstep.harness.trace.CallResult;
import dev.lockstep.harness.trace.TraceEvent;
import dev.lockstep.harness.trace.TraceReport;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import dev.lockstep.testsupport.LockstepScenarios;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The races of the harness issue, run for real against every strategy × database: deterministic
 * interleavings of lock-core's own statements, explored exhaustively (fewest preemptions first).
 * One fixture class per strategy × database, as for the lifecycle contract ({@link CoordinatorContract}
 * says how to run it against your own server).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RaceContract {

    /** Exhaustive exploration stops here; every scenario below stays far beneath it (see the complete() asserts). */
    static final int CAP = 20_000;
    /**
     * The operation matrix explores every schedule with at most this many preemptions: its pairs have
     * thousands of schedules each unbounded, and the races it looks for (check-then-act, a lock
     * order inverted, a row taken between two statements) need one.
     */
    static final int MATRIX_PREEMPTIONS = 2;

    private final Strategy strategy;
    private final DatabaseKind kind;
    private final TableNames tables;
    private TestDatabase database;
    /** The schema made for {@link #tables}, dropped after the fixture. */
    private AutoCloseable schemaOfTables;
    RaceHarness harness;
    LockstepScenarios scenarios;
    /** What the operation matrix explored in this fixture, printed once the class has run, so the counts can be quoted. */
    private final MatrixTally matrixTally = new MatrixTally();

    protected RaceContract(Strategy strategy, DatabaseKind kind) {
        this(strategy, kind, TableNames.DEFAULT);
    }

    /**
     * The races on lock-core's tables named and placed as {@code tables} says. A schema is made for the
     * fixture (on MariaDB a database beside the fixture's, dropped after it), and every scenario's
     * coordinators, setups and invariants use those tables.
     */
    protected RaceContract(Strategy strategy, DatabaseKind kind, TableNames tables) {
        this.strategy = strategy;
        this.kind = kind;
        this.tables = tables;
    }

    @BeforeAll
    void createDatabase() throws Exception {
        database = TestDatabases.shared().create(kind);
        schemaOfTables = TableSchemas.create(database, tables);
        Schema.install(database.dataSource(), strategy, tables);
        // checks the schema once: the scenarios' coordinators skip it
        Coordinator.create(database.dataSource(), Coordinator.Options.of(strategy).withTables(tables));
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE lockstep_exec (run_id BIGINT NOT NULL, executor VARCHAR(20) NOT NULL, fence BIGINT NOT NULL, fence_seen BIGINT NOT NULL)");
        }
        // a step's call site is the scenario's line, not lock-core's insides
        harness = RaceHarness.on(database.dataSource()).withLibraryPackages(Coordinator.class.getPackageName());
        scenarios = new LockstepScenarios(strategy, lockCoreDatabase(), tables);
    }

    private Database lockCoreDatabase() {
        return switch (kind) {
            case SQLITE -> Database.SQLITE;
            case POSTGRESQL -> Database.POSTGRESQL;
            case MARIADB -> Database.MARIADB;
        };
    }

    @AfterAll
    void dropDatabase() {
        if (matrixTally.scenarios > 0) {
            System.out.println("operation matrix, " + strategy.label() + " on " + kind
                    + (tables.isDefault() ? "" : " (tables " + tables.qualified(tables.prefix() + "*") + ")") + ": " + matrixTally);
        }
        try {
            if (schemaOfTables != null) {
                schemaOfTables.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("dropping the schema of " + tables + " failed", e);
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    private RaceResult exhaustive(Scenario scenario) {
        RaceResult result = harness.explore(scenario, Explorer.exhaustive(CAP));
        System.out.println(result.exploration() + "  [" + scenario.name() + " on " + result.database() + "]");
        return result;
    }

    private void assertSafeEverywhere(Scenario scenario) {
        RaceResult result = exhaustive(scenario);
        assertNoRace(result);
        assertThat(result.exploration().complete()).as("every schedule explored within the cap").isTrue();
        assertThat(result.exploration().runs()).isPositive();
    }

    @Test
    void startStart() {
        RaceResult result = exhaustive(scenarios.startStart());
        if (strategy.isSafe()) {
            assertNoRace(result);
            assertThat(result.exploration().complete()).isTrue();
            return;
        }
        Execution found = assertRaceFound(result);
        System.out.println(result.report());
        Execution first = result.exploration().firstFailure().orElseThrow();
        // explored fewest preemptions first, and no serial schedule (0 preemptions) can start both
        assertThat(first.preemptions()).isEqualTo(1);
        assertThat(found.preemptions()).isEqualTo(1);
        assertThat(found.verdict()).isInstanceOf(Verdict.InvariantBroken.class);
        // the counterexample shows why: each actor's guard read no active run, and each run's id as its insert returned it
        for (String actor : List.of("A", "B")) {
            List<TraceEvent.Step> steps = found.trace().events().stream()
                    .filter(e -> e instanceof TraceEvent.Step step && step.actor().equals(actor)).map(TraceEvent.Step.class::cast).toList();
            assertThat(steps).as("%s's guard, a query that read no row", actor).anySatisfy(step ->
                    assertThat(step.result()).isEqualTo(new CallResult.Rows(0)));
            long runId = found.outcomes().of(actor).value(Claim.class).runId();
            assertThat(steps).as("the id of %s's run, %d, as read", actor, runId).anySatisfy(step ->
                    assertThat(idsRead(step.result())).contains(runId));
            assertThat(result.report()).contains("id=" + runId + ",");
        }
        for (int i = 0; i < 20; i++) {
            Execution replayed = harness.replay(scenarios.startStart(), found.schedule());
            assertThat(replayed.verdict().summary()).as("replay %d of %s", i + 1, found.schedule()).isEqualTo(found.verdict().summary());
            assertThat(replayed.schedule()).isEqualTo(found.schedule());
        }
    }

    /** The values of the {@code id} column in the rows a step read, or in the keys its insert generated. */
    private static List<Long> idsRead(CallResult result) {
        List<String> columns = result instanceof CallResult.Rows rows ? rows.columns()
                : result instanceof CallResult.Updated updated ? updated.keyColumns() : List.of();
        List<List<Object>> values = result instanceof CallResult.Rows rows ? rows.firstRows()
                : result instanceof CallResult.Updated updated ? updated.keys() : List.of();
        int id = columns.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList().indexOf("id");
        return id < 0 ? List.of() : values.stream().map(row -> ((Number) row.get(id)).longValue()).toList();
    }

    @Test
    void aPreCreateThatCommitsLate() {
        RaceResult result = exhaustive(scenarios.lateCommittingPreCreate());
        // PostgreSQL's and InnoDB's guard reads do not see an uncommitted insert, and nothing makes them wait for it
        boolean documentedLimit = strategy == Strategy.PENDING_INCLUSIVE_GUARD && kind != DatabaseKind.SQLITE;
        if (documentedLimit || !strategy.isSafe()) {
            assertRaceFound(result);
            System.out.println(result.report());
        } else {
            // SQLite's single writer lock keeps B's uncommitted insert from overlapping A's writes
            assertNoRace(result);
            assertThat(result.exploration().complete()).isTrue();
        }
    }

    @Test
    void resumeResume() {
        assertSafeEverywhere(scenarios.resumeResume());
    }

    @Test
    void cancelComplete() {
        assertSafeEverywhere(scenarios.cancelComplete());
    }

    @Test
    void dispatch() {
        assertSafeEverywhere(scenarios.dispatch());
    }

    @Test
    void claimNextAndStartOfOneRunNeverDeadlock() {
        assertSafeEverywhere(scenarios.claimNextStart());
    }

    @Test
    void claimNextNeverTakesABeginsRun() {
        assertSafeEverywhere(scenarios.beginClaimNext());
    }

    @Test
    void aStartThatAnotherWriterDeadlocksIsMadeAgainAndStarts() {
        Assumptions.assumeTrue(kind != DatabaseKind.SQLITE,
                "SQLite has one write lock per database, taken whole: two transactions cannot deadlock on it");
        Optional<Scenario> scenario = scenarios.anotherWriterAgainstStart();
        Assumptions.assumeTrue(scenario.isPresent(), "only the advisory lock and the lease lock the key before the run row");
        List<Execution> explored = new ArrayList<>();
        try (ScenarioRunner runner = new ScenarioRunner(scenario.get(), database.dataSource(), RaceHarness.DEFAULT_STEP_TIMEOUT)) {
            Exploration all = Explorer.exhaustive(CAP).keepGoing().explore(decider -> {
                Execution run = runner.run(decider);
                explored.add(run);
                return run;
            });
            assertThat(all.complete()).isTrue();
            System.out.println(all + "  [" + scenario.get().name() + " on " + database.description() + "]");
        }

        assertThat(explored).allSatisfy(run -> assertThat(run.outcomes().of("A").returned(Claim.class))
                .as("the start's outcome under %s: %s", run.schedule(), run.outcomes()).isTrue());
        // PostgreSQL aborts the waiter whose deadlock check runs first, the start, which is made again; InnoDB rolls
        // back the transaction that has locked and written less, the other writer, and the start's wait is granted
        String victim = kind == DatabaseKind.MARIADB ? "X" : "A";
        List<Verdict.Deadlock> deadlocks = explored.stream().map(Execution::verdict)
                .filter(Verdict.Deadlock.class::isInstance).map(Verdict.Deadlock.class::cast).toList();
        assertThat(deadlocks).as("schedules that deadlock the start with the other writer").isNotEmpty()
                .allSatisfy(deadlock -> assertThat(deadlock.actors()).containsExactlyInAnyOrder("A", "X"))
                .anySatisfy(deadlock -> assertThat(deadlock.victim()).isEqualTo(victim));
    }

    @Test
    void redispatchWithFencing() {
        assertSafeEverywhere(scenarios.redispatch(true));
    }

    @Test
    void redispatchWithoutFencingExecutesTwice() {
        RaceResult result = exhaustive(scenarios.redispatch(false));
        Execution found = assertRaceFound(result);
        assertThat(found.verdict().summary()).isEqualTo("invariant broken: a run is executed at most once");
    }

    /** Every pair of lifecycle operations, one dynamic test per cell of {@link OperationMatrix}. */
    @TestFactory
    Stream<DynamicTest> operationMatrix() {
        OperationMatrix matrix = new OperationMatrix(strategy, lockCoreDatabase(), tables);
        return OperationMatrix.cells().stream().map(cell -> DynamicTest.dynamicTest(cell.name(), () -> race(matrix, cell)));
    }

    /**
     * One cell of the matrix, every schedule within the preemption bound: it passes, or, where the
     * strategy breaks by design, the race is found and it is the documented invariant that breaks.
     */
    private void race(OperationMatrix matrix, OperationMatrix.Cell cell) {
        Scenario scenario = matrix.scenario(cell);
        Optional<String> documented = OperationMatrix.documentedBreak(strategy, cell);
        long started = System.nanoTime();
        RaceResult result = harness.explore(scenario, Explorer.exhaustive(CAP, MATRIX_PREEMPTIONS));
        matrixTally.add(result, documented.isPresent(), System.nanoTime() - started);
        System.out.println(result.exploration() + "  [" + scenario.name() + " on " + result.database() + "]");
        if (documented.isPresent()) {
            Execution found = assertRaceFound(result);
            System.out.println(result.report());
            assertThat(found.verdict().summary()).as("what breaks in %s", cell.name()).isEqualTo("invariant broken: " + documented.get());
        } else {
            assertNoRace(result);
            assertThat(result.exploration().complete()).as("every schedule of %s explored within the cap", cell.name()).isTrue();
        }
    }

    /** Counts of one fixture's operation matrix. */
    private static final class MatrixTally {
        private int scenarios;
        private int documentedBreaks;
        private int unexpected;
        private long schedules;
        private long nanos;

        void add(RaceResult result, boolean documentedBreak, long tookNanos) {
            scenarios++;
            documentedBreaks += documentedBreak && result.failed() ? 1 : 0;
            unexpected += documentedBreak != result.failed() ? 1 : 0;
            schedules += result.exploration().runs();
            nanos += tookNanos;
        }

        /** e.g. {@code 60 scenarios: 53 pass, 7 break as documented, 0 unexpected; 1214 schedules, 95.7 s}. */
        @Override
        public String toString() {
            return scenarios + " scenarios: " + (scenarios - documentedBreaks - unexpected) + " pass, " + documentedBreaks
                    + " break as documented, " + unexpected + " unexpected; " + schedules + " schedules, "
                    + String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
        }
    }

    @Test
    void anActorWaitingForTheKeyShowsWaitingThenCompleted() {
        Assumptions.assumeTrue(strategy == Strategy.ADVISORY_LOCK || strategy == Strategy.ON_CONFLICT_LEASE,
                "only the advisory lock and the lease make a second start wait for the first");
        List<Execution> waited = new ArrayList<>();
        try (ScenarioRunner runner = new ScenarioRunner(scenarios.startStart(), database.dataSource(), RaceHarness.DEFAULT_STEP_TIMEOUT)) {
            Exploration all = Explorer.exhaustive(CAP).keepGoing().explore(decider -> {
                Execution run = runner.run(decider);
                if (waited.isEmpty() && run.trace().events().stream()
                        .anyMatch(e -> e instanceof TraceEvent.Step s && s.result() instanceof CallResult.Waiting)) {
                    waited.add(run);
                }
                return run;
            });
            assertThat(all.failures()).isZero();
        }

        assertThat(waited).as("some schedule makes one start wait for the other's lock").hasSize(1);
        List<TraceEvent> events = waited.get(0).trace().events();
        TraceEvent.Step waiting = events.stream()
                .filter(e -> e instanceof TraceEvent.Step s && s.result() instanceof CallResult.Waiting)
                .map(TraceEvent.Step.class::cast).findFirst().orElseThrow();
        List<TraceEvent.Completed> completions = events.stream()
                .filter(TraceEvent.Completed.class::isInstance).map(TraceEvent.Completed.class::cast).toList();
        assertThat(completions).extracting(TraceEvent.Completed::step).contains(waiting.step());
        assertThat(events.indexOf(completions.get(0))).isGreaterThan(events.indexOf(waiting));
        System.out.println(TraceReport.of("a start waiting for the key", database.description(), waited.get(0)).render());
    }

    @Test
    void theSameSeedGivesTheSameSchedulesAndVerdicts() {
        List<String> first = randomRuns(42);
        List<String> second = randomRuns(42);

        assertThat(first).hasSize(40).isEqualTo(second);
        assertThat(randomRuns(43)).isNotEqualTo(first);
    }

    /** Each run of a seeded random exploration of start-start, as "schedule -> verdict". */
    private List<String> randomRuns(long seed) {
        List<String> runs = new ArrayList<>();
        try (ScenarioRunner runner = new ScenarioRunner(scenarios.startStart(), database.dataSource(), RaceHarness.DEFAULT_STEP_TIMEOUT)) {
            Explorer.random(seed, 40).keepGoing().explore(decider -> {
                Execution run = runner.run(decider);
                runs.add(run.schedule() + " -> " + run.verdict().summary());
                return run;
            });
        }
        return runs;
    }

    @Test
    void freeRunningStressTalliesTheOutcomes() {
        StressTest stress = StressTest.of(scenarios.startStart())
                .iterations(kind == DatabaseKind.SQLITE ? 300 : 150)
                .acceptable("A=Claim B=String", "A started, B was refused")
                .acceptable("A=String B=Claim", "B started, A was refused")
                .forbidden("A=Claim B=Claim", "both started: two active runs of one key");

        StressResult result = harness.stress(stress);

        System.out.println(strategy.label() + " on " + kind + ":\n" + result.table());
        assertThat(result.counts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(result.iterations());
        if (strategy.isSafe()) {
            assertNoForbiddenOutcome(result);
            assertThat(result.count("A=Claim B=String") + result.count("A=String B=Claim")).isEqualTo(result.iterations());
        }
    }

    @Test
    void aTwoLockDeadlockIsReportedAsADeadlock() {
        Assumptions.assumeTrue(kind != DatabaseKind.SQLITE,
                "SQLite has one write lock per database, taken whole: two transactions cannot deadlock on it");
        Scenario twoLocks = Race.scenario("two run rows locked in opposite orders")
                .setupSql(tables.rename("DELETE FROM lockstep_run"), tables.rename(
                        "INSERT INTO lockstep_run (id, run_key, name, status, fence, created_at) VALUES (1, 'a', 'x', 'pending', 0, 0), (2, 'b', 'x', 'pending', 0, 0)"))
                .session("A", s -> s.step("BEGIN").step(tables.rename("SELECT id FROM lockstep_run WHERE id = 1 FOR UPDATE"))
                        .step(tables.rename("SELECT id FROM lockstep_run WHERE id = 2 FOR UPDATE")).step("COMMIT"))
                .session("B", s -> s.step("BEGIN").step(tables.rename("SELECT id FROM lockstep_run WHERE id = 2 FOR UPDATE"))
                        .step(tables.rename("SELECT id FROM lockstep_run WHERE id = 1 FOR UPDATE")).step("COMMIT"))
                .build();

        RaceResult result = harness.explore(twoLocks, Explorer.exhaustive(CAP));

        // the first deadlocking schedule, fewest preemptions first: A A B B B A, where A's second lock closes the cycle
        assertThat(result.exploration().verdicts()).containsKey("deadlock between A, B: the database ended it, A was its victim");
        assertThat(result.counterexample().orElseThrow().verdict()).isInstanceOfSatisfying(Verdict.Deadlock.class, deadlock -> {
            assertThat(deadlock.actors()).containsExactly("A", "B");
            assertThat(deadlock.endedByDatabase()).isTrue();
        });
    }
}
