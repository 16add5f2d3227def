package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.dsl.Session;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Deadlocks end as the database ends them: its detector picks the victim, which sees the database's
 * own error; the others go on under the scheduler with numbered steps; the verdict names the deadlock.
 * Cancelling waits is the last resort, for cycles the database cannot see, and says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadlockIT {

    private TestDatabase postgres;
    private TestDatabase sqlite;

    @BeforeAll
    void databases() throws Exception {
        postgres = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
        sqlite = TestDatabases.shared().create(DatabaseKind.SQLITE);
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE a1 ()");
            s.execute("CREATE TABLE pair (id INTEGER PRIMARY KEY)");
        }
        try (Connection c = sqlite.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pair (id INTEGER PRIMARY KEY)");
        }
    }

    @AfterAll
    void drop() {
        postgres.close();
        sqlite.close();
    }

    /**
     * PostgreSQL's isolation test deadlock-simple: two sessions take a share lock on one table, then
     * both ask to upgrade it. The second upgrade is a deadlock the detector sees at once, without a
     * timeout: it fails, the first upgrade goes through, and both commits run.
     */
    private static Scenario deadlockSimple(boolean victimExpected) {
        return Race.scenario("deadlock-simple")
                .session("s1", s -> s.step("BEGIN").step("LOCK TABLE a1 IN ACCESS SHARE MODE")
                        .step("LOCK TABLE a1 IN ACCESS EXCLUSIVE MODE").expectBlocks().step("COMMIT"))
                .session("s2", s -> {
                    s.step("BEGIN").step("LOCK TABLE a1 IN ACCESS SHARE MODE").step("LOCK TABLE a1 IN ACCESS EXCLUSIVE MODE");
                    if (victimExpected) {
                        s.expectSqlState("40P01");
                    }
                    s.step("COMMIT");
                })
                .build();
    }

    @Test
    void deadlockSimpleGivesTheOutputOfPostgresIsolationTest() throws Exception {
        // isolationtester's permutation "s1as" "s2as" "s1ae" "s2ae" "s1c" "s2c", each session's BEGIN first
        List<String> expected = List.of(
                "0 s1 BEGIN -> ok",
                "1 s2 BEGIN -> ok",
                "2 s1 LOCK TABLE a1 IN ACCESS SHARE MODE -> updated 0",
                "3 s2 LOCK TABLE a1 IN ACCESS SHARE MODE -> updated 0",
                "4 s1 LOCK TABLE a1 IN ACCESS EXCLUSIVE MODE -> <waiting>",
                "5 s2 LOCK TABLE a1 IN ACCESS EXCLUSIVE MODE -> ERROR 40P01",
                "4 s1 <... completed> -> updated 0",
                "6 s1 COMMIT -> ok",
                "= s1",
                "7 s2 COMMIT -> ok",
                "= s2");
        try (CpuLoad load = CpuLoad.start(); ScenarioRunner runner = runner(deadlockSimple(true))) {
            for (int i = 0; i < 10; i++) {
                Execution run = runner.run(Explorer.follow(Schedule.parse("s1 s2 s1 s2 s1 s2 s1 s2")));

                assertThat(TraceLines.of(run)).as("run %d", i + 1).isEqualTo(expected);
                assertThat(run.verdict()).isEqualTo(new Verdict.Passed()); // the session predicted the deadlock
                assertThat(sessionResult(run, "s2", 2).sqlState()).isEqualTo("40P01");
                assertThat(sessionResult(run, "s2", 2).error()).contains("deadlock detected");
            }
            assertThat(load.spins()).isPositive();
        }
    }

    @Test
    void anUnpredictedDeadlockIsTheVerdictAndNamesTheVictimTheDatabaseChose() {
        try (ScenarioRunner runner = runner(deadlockSimple(false))) {
            Execution run = runner.run(Explorer.follow(Schedule.parse("s1 s2 s1 s2 s1 s2 s1 s2")));

            assertThat(run.verdict()).isEqualTo(new Verdict.Deadlock(List.of("s1", "s2"), "s2", 5, true));
            assertThat(run.verdict().summary()).isEqualTo("deadlock between s1, s2: the database ended it, s2 was its victim");
            assertThat(run.schedule()).hasToString("s1 s2 s1 s2 s1 s2 s1 s2");
        }
    }

    /** Two rows locked in opposite orders: a deadlock PostgreSQL's timed detector finds, and InnoDB's as the second wait begins. */
    static Scenario twoRows() {
        return Race.scenario("two rows in opposite orders")
                .setupSql("DELETE FROM pair", "INSERT INTO pair VALUES (1), (2)")
                .session("A", s -> s.step("BEGIN").step("SELECT id FROM pair WHERE id = 1 FOR UPDATE")
                        .step("SELECT id FROM pair WHERE id = 2 FOR UPDATE").step("COMMIT"))
                .session("B", s -> s.step("BEGIN").step("SELECT id FROM pair WHERE id = 2 FOR UPDATE")
                        .step("SELECT id FROM pair WHERE id = 1 FOR UPDATE").step("COMMIT"))
                .build();
    }

    @Test
    void theStatementThatClosesTheCycleIsTheVictimAndTheOtherGoesOnWithNumberedSteps() throws Exception {
        try (CpuLoad load = CpuLoad.start(); ScenarioRunner runner = runner(twoRows())) {
            for (int i = 0; i < 10; i++) {
                Execution bClosesIt = runner.run(Explorer.follow(Schedule.parse("A A B B A B A B")));
                assertThat(TraceLines.of(bClosesIt)).as("run %d", i + 1).containsExactly(
                        "0 A BEGIN -> ok",
                        "1 A SELECT id FROM pair WHERE id = 1 FOR UPDATE -> 1 rows",
                        "2 B BEGIN -> ok",
                        "3 B SELECT id FROM pair WHERE id = 2 FOR UPDATE -> 1 rows",
                        "4 A SELECT id FROM pair WHERE id = 2 FOR UPDATE -> <waiting>",
                        "5 B SELECT id FROM pair WHERE id = 1 FOR UPDATE -> ERROR 40P01",
                        "4 A <... completed> -> 1 rows",
                        "6 A COMMIT -> ok",
                        "= A",
                        "7 B COMMIT -> ok",
                        "= B");
                assertThat(bClosesIt.verdict()).isEqualTo(new Verdict.Deadlock(List.of("A", "B"), "B", 5, true));

                Execution aClosesIt = runner.run(Explorer.follow(Schedule.parse("A A B B B A B A")));
                assertThat(aClosesIt.verdict()).isEqualTo(new Verdict.Deadlock(List.of("A", "B"), "A", 5, true));
                assertThat(sessionResult(aClosesIt, "A", 2).sqlState()).isEqualTo("40P01");
                assertThat(sessionResult(aClosesIt, "B", 2).failed()).isFalse();
                assertThat(aClosesIt.schedule()).hasToString("A A B B B A B A");
            }
            assertThat(load.spins()).isPositive();
        }
    }

    @Test
    void everyScheduleEndsTheSameWayTwiceOnABusyMachine() throws Exception {
        try (CpuLoad load = CpuLoad.start(); ScenarioRunner runner = runner(twoRows())) {
            List<String> first = everySchedule(runner);
            List<String> second = everySchedule(runner);

            assertThat(second).isEqualTo(first);
            // two sessions of 4 statements, where a waiting session cannot move: 42 schedules; the 24 in
            // which both first locks come before either second lock deadlock, and by symmetry each
            // session closes the cycle, and is the victim, in half of them
            assertThat(first).hasSize(42);
            assertThat(first).filteredOn(run -> run.endsWith("A was its victim")).hasSize(12);
            assertThat(first).filteredOn(run -> run.endsWith("B was its victim")).hasSize(12);
            assertThat(load.spins()).isPositive();
        }
    }

    /**
     * A cycle the database takes its time to end (here the sessions' own deadlock_timeout; on a busy
     * machine, any detector) while a third session could still move: the deadlock ends before the
     * next decision, so the victim's error, what may move next and the verdict are the same in every
     * run, not a matter of how fast the third session's steps were.
     */
    @Test
    void aCycleEndsBeforeTheNextDecisionHoweverSlowlyTheDatabaseEndsIt() throws Exception {
        Scenario scenario = Race.scenario("a slow detector and a bystander")
                .setupSql("DELETE FROM pair", "INSERT INTO pair VALUES (1), (2)")
                .session("A", s -> s.step("SET deadlock_timeout = '200ms'").step("BEGIN").step("SELECT id FROM pair WHERE id = 1 FOR UPDATE")
                        .step("SELECT id FROM pair WHERE id = 2 FOR UPDATE").expectSqlState("40P01").step("ROLLBACK"))
                .session("B", s -> s.step("SET deadlock_timeout = '10s'").step("BEGIN").step("SELECT id FROM pair WHERE id = 2 FOR UPDATE")
                        .step("SELECT id FROM pair WHERE id = 1 FOR UPDATE").expectBlocks().step("COMMIT"))
                .session("C", s -> s.step("SELECT 1").step("SELECT 2"))
                .build();
        try (CpuLoad load = CpuLoad.start(); ScenarioRunner runner = runner(scenario)) {
            for (int i = 0; i < 3; i++) {
                Execution run = runner.run(Explorer.follow(Schedule.parse("A A A B B B A B C C A B")));

                assertThat(run.readyAt().get(8)).as("run %d: who may move once B closed the cycle and A was its victim", i + 1).containsExactly("A", "B", "C");
                assertThat(TraceLines.of(run)).as("run %d", i + 1).containsExactly(
                        "0 A SET deadlock_timeout = '200ms' -> updated 0",
                        "1 A BEGIN -> ok",
                        "2 A SELECT id FROM pair WHERE id = 1 FOR UPDATE -> 1 rows",
                        "3 B SET deadlock_timeout = '10s' -> updated 0",
                        "4 B BEGIN -> ok",
                        "5 B SELECT id FROM pair WHERE id = 2 FOR UPDATE -> 1 rows",
                        "6 A SELECT id FROM pair WHERE id = 2 FOR UPDATE -> ERROR 40P01",
                        "7 B SELECT id FROM pair WHERE id = 1 FOR UPDATE -> <waiting>",
                        "7 B <... completed> -> 1 rows", // the victim's transaction let go of its locks as it failed
                        "8 C SELECT 1 -> 1 rows",
                        "9 C SELECT 2 -> 1 rows",
                        "= C",
                        "10 A ROLLBACK -> ok",
                        "= A",
                        "11 B COMMIT -> ok",
                        "= B");
                assertThat(run.verdict()).isEqualTo(new Verdict.Passed()); // A's session predicted the deadlock
            }
            assertThat(load.spins()).isPositive();
        }
    }

    /** Every schedule of the runner's scenario, each as its decisions, who could move at each, its trace and its verdict. */
    static List<String> everySchedule(ScenarioRunner runner) {
        List<String> runs = new ArrayList<>();
        var exploration = Explorer.exhaustive(1_000).keepGoing().explore(decider -> {
            Execution run = runner.run(decider);
            runs.add(run.schedule() + " " + run.readyAt() + " " + TraceLines.of(run) + " -> " + run.verdict().summary());
            return run;
        });
        assertThat(exploration.complete()).isTrue();
        return runs;
    }

    @Test
    void aWaitThatEndsByLockTimeoutOutsideAnyStepIsSettledAndTheRunGoesOn() {
        // the sessions keep their own deadlock_timeout (10 s), so A's lock_timeout ends the cycle first
        Scenario scenario = Race.scenario("a lock timeout ends a cycle")
                .setupSql("DELETE FROM pair", "INSERT INTO pair VALUES (1), (2)")
                .session("A", s -> s.step("SET deadlock_timeout = '10s'").step("SET lock_timeout = '300ms'").step("BEGIN")
                        .step("SELECT id FROM pair WHERE id = 1 FOR UPDATE")
                        .step("SELECT id FROM pair WHERE id = 2 FOR UPDATE").expectBlocks().expectSqlState("55P03").step("ROLLBACK"))
                .session("B", s -> s.step("SET deadlock_timeout = '10s'").step("BEGIN").step("SELECT id FROM pair WHERE id = 2 FOR UPDATE")
                        .step("SELECT id FROM pair WHERE id = 1 FOR UPDATE").expectBlocks().step("COMMIT"))
                .build();
        try (ScenarioRunner runner = runner(scenario)) {
            Execution run = runner.run(Explorer.follow(Schedule.parse("A A A A B B B A B A B")));

            assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
            assertThat(TraceLines.of(run)).containsSubsequence(
                    "7 A SELECT id FROM pair WHERE id = 2 FOR UPDATE -> <waiting>",
                    "8 B SELECT id FROM pair WHERE id = 1 FOR UPDATE -> <waiting>",
                    "7 A <... completed> -> ERROR 55P03",
                    "8 B <... completed> -> 1 rows",
                    "9 A ROLLBACK -> ok",
                    "10 B COMMIT -> ok");
            assertThat(run.schedule()).hasToString("A A A A B B B A B A B");

            // the sessions' SET lock_timeout and deadlock_timeout are undone before the next run
            Execution next = runner.run(Explorer.follow(Schedule.parse("A A A A B B B A B A B")));
            assertThat(TraceLines.of(next)).isEqualTo(TraceLines.of(run));
        }
    }

    @Test
    void anActorWaitingForItsOwnOtherConnectionIsALastResortCancelSaidAsSuch() {
        Scenario scenario = Race.scenario("waits for itself")
                .setupSql("DELETE FROM pair", "INSERT INTO pair VALUES (1)")
                .actor("A", ds -> {
                    try (Connection holder = ds.getConnection(); Connection waiter = ds.getConnection();
                         Statement h = holder.createStatement(); Statement w = waiter.createStatement()) {
                        holder.setAutoCommit(false);
                        h.execute("SELECT id FROM pair WHERE id = 1 FOR UPDATE");
                        w.execute("UPDATE pair SET id = 1 WHERE id = 1");
                        return "not reached";
                    }
                })
                .build();
        try (ScenarioRunner runner = runner(scenario)) {
            Execution run = runner.run(Explorer.follow(Schedule.parse("A A")));

            assertThat(run.verdict()).isEqualTo(new Verdict.Deadlock(List.of("A"), "A", 1, false));
            assertThat(run.verdict().summary()).isEqualTo("deadlock between A: the database did not end it, the harness cancelled A's wait");
            assertThat(run.outcomes().of("A")).isInstanceOfSatisfying(Outcome.Deadlocked.class,
                    d -> assertThat(((SQLException) d.error()).getSQLState()).isEqualTo("57014"));
            assertThat(TraceLines.of(run)).containsExactly(
                    "A setAutoCommit(false)",
                    "0 A SELECT id FROM pair WHERE id = 1 FOR UPDATE -> 0 rows",
                    "1 A UPDATE pair SET id = 1 WHERE id = 1 -> <waiting>",
                    "1 A <... completed> -> ERROR 57014",
                    "= A");

            Execution again = runner.run(Explorer.follow(Schedule.parse("A A")));
            assertThat(again.verdict()).isEqualTo(run.verdict());
        }
    }

    @Test
    void onSqliteAnActorWaitingForItsOwnOtherConnectionIsCancelledToo() {
        Scenario scenario = Race.scenario("waits for itself")
                .actor("A", ds -> {
                    try (Connection holder = ds.getConnection(); Connection waiter = ds.getConnection();
                         Statement h = holder.createStatement(); Statement w = waiter.createStatement()) {
                        h.execute("BEGIN IMMEDIATE");
                        w.execute("BEGIN IMMEDIATE");
                        return "not reached";
                    }
                })
                .build();
        try (ScenarioRunner runner = new ScenarioRunner(scenario, sqlite.dataSource(), Duration.ofSeconds(20))) {
            Execution run = runner.run(Explorer.follow(Schedule.parse("A A")));

            assertThat(run.verdict()).isEqualTo(new Verdict.Deadlock(List.of("A"), "A", 1, false));
            assertThat(run.outcomes().of("A")).isInstanceOf(Outcome.Deadlocked.class);
            assertThat(TraceLines.of(run)).hasSize(4).startsWith("0 A BEGIN IMMEDIATE -> ok", "1 A BEGIN IMMEDIATE -> <waiting>");
        }
    }

    private ScenarioRunner runner(Scenario scenario) {
        return new ScenarioRunner(scenario, postgres.dataSource(), Duration.ofSeconds(20));
    }

    private static Session.StepResult sessionResult(Execution run, String actor, int index) {
        Outcome outcome = run.outcomes().of(actor);
        assertThat(outcome).isInstanceOf(Outcome.Returned.class);
        return (Session.StepResult) ((List<?>) ((Outcome.Returned) outcome).value()).get(index);
    }
}
