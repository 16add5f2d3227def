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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * MariaDB's waits, each seen where it happens and scheduled the same way every time on a busy
 * machine: a row lock (InnoDB), a user lock ({@code GET_LOCK}) and a metadata lock; deadlocks ended
 * by InnoDB with 1213 to the victim; a cycle no detector sees, cancelled with {@code KILL QUERY};
 * and no user lock carried from one run into the next.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbBlockingIT {

    private TestDatabase mariadb;

    @BeforeAll
    void database() throws Exception {
        mariadb = TestDatabases.shared().create(DatabaseKind.MARIADB);
        try (Connection c = mariadb.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pair (id INTEGER PRIMARY KEY)");
            s.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
            s.execute("CREATE TABLE unique_value (v INTEGER PRIMARY KEY)");
            s.execute("CREATE TABLE altered (id INTEGER PRIMARY KEY)");
        }
    }

    @AfterAll
    void drop() {
        mariadb.close();
    }

    private ScenarioRunner runner(Scenario scenario) {
        return new ScenarioRunner(scenario, mariadb.dataSource(), Duration.ofSeconds(20));
    }

    /** Runs {@code schedule} ten times beside busy threads; each run must give {@code expected}. */
    private void sameTraceEveryRun(Scenario scenario, String schedule, List<String> expected) throws Exception {
        try (CpuLoad load = CpuLoad.start(); ScenarioRunner runner = runner(scenario)) {
            for (int i = 0; i < 10; i++) {
                Execution run = runner.run(Explorer.follow(Schedule.parse(schedule)));

                assertThat(TraceLines.of(run)).as("run %d", i + 1).isEqualTo(expected);
                assertThat(run.verdict()).as("run %d", i + 1).isEqualTo(new Verdict.Passed());
            }
            assertThat(load.spins()).isPositive();
        }
    }

    @Test
    void aRowLockWaitIsSeenAndEndsWhenTheHolderCommits() throws Exception {
        Scenario scenario = Race.scenario("row lock")
                .setupSql("DELETE FROM counter", "INSERT INTO counter VALUES (1, 0)")
                .session("A", s -> s.step("BEGIN").step("UPDATE counter SET v = 1 WHERE id = 1").step("COMMIT"))
                .session("B", s -> s.step("UPDATE counter SET v = 2 WHERE id = 1").expectBlocks())
                .build();
        sameTraceEveryRun(scenario, "A A B A", List.of(
                "0 A BEGIN -> ok",
                "1 A UPDATE counter SET v = 1 WHERE id = 1 -> updated 1",
                "2 B UPDATE counter SET v = 2 WHERE id = 1 -> <waiting>",
                "3 A COMMIT -> ok",
                "= A",
                "2 B <... completed> -> updated 1",
                "= B"));
    }

    @Test
    void aUserLockWaitIsSeenAndEndsWhenTheHolderReleasesIt() throws Exception {
        Scenario scenario = Race.scenario("user lock")
                .session("A", s -> s.step("SELECT GET_LOCK('user lock', 10)").step("SELECT RELEASE_LOCK('user lock')"))
                .session("B", s -> s.step("SELECT GET_LOCK('user lock', 10)").expectBlocks().step("SELECT RELEASE_LOCK('user lock')"))
                .build();
        sameTraceEveryRun(scenario, "A B A B", List.of(
                "0 A SELECT GET_LOCK('user lock', 10) -> 1 rows",
                "1 B SELECT GET_LOCK('user lock', 10) -> <waiting>",
                "2 A SELECT RELEASE_LOCK('user lock') -> 1 rows",
                "= A",
                "1 B <... completed> -> 1 rows",
                "3 B SELECT RELEASE_LOCK('user lock') -> 1 rows",
                "= B"));
    }

    @Test
    void aMetadataLockWaitIsSeenAndEndsWhenTheTransactionHoldingTheTableEnds() throws Exception {
        Scenario scenario = Race.scenario("metadata lock")
                .session("A", s -> s.step("BEGIN").step("SELECT id FROM altered").step("COMMIT"))
                .session("B", s -> s.step("TRUNCATE TABLE altered").expectBlocks())
                .build();
        sameTraceEveryRun(scenario, "A A B A", List.of(
                "0 A BEGIN -> ok",
                "1 A SELECT id FROM altered -> 0 rows",
                "2 B TRUNCATE TABLE altered -> <waiting>",
                "3 A COMMIT -> ok",
                "= A",
                "2 B <... completed> -> updated 0",
                "= B"));
    }

    @Test
    void innodbEndsADeadlockAndItsVictimSeesError1213() throws Exception {
        try (CpuLoad load = CpuLoad.start(); ScenarioRunner runner = runner(DeadlockIT.twoRows())) {
            for (int i = 0; i < 5; i++) {
                Execution run = runner.run(Explorer.follow(Schedule.parse("A A B B A B A B")));

                assertThat(TraceLines.of(run)).as("run %d", i + 1).containsExactly(
                        "0 A BEGIN -> ok",
                        "1 A SELECT id FROM pair WHERE id = 1 FOR UPDATE -> 1 rows",
                        "2 B BEGIN -> ok",
                        "3 B SELECT id FROM pair WHERE id = 2 FOR UPDATE -> 1 rows",
                        "4 A SELECT id FROM pair WHERE id = 2 FOR UPDATE -> <waiting>",
                        "5 B SELECT id FROM pair WHERE id = 1 FOR UPDATE -> ERROR 40001",
                        "4 A <... completed> -> 1 rows",
                        "6 A COMMIT -> ok",
                        "= A",
                        "7 B COMMIT -> ok",
                        "= B");
                assertThat(run.verdict()).isEqualTo(new Verdict.Deadlock(List.of("A", "B"), "B", 5, true));
                assertThat(sessionResult(run, "B", 2).error()).contains("Deadlock found");
            }
            assertThat(load.spins()).isPositive();
        }
    }

    @Test
    void everyScheduleOfADeadlockEndsTheSameWayTwiceOnABusyMachine() throws Exception {
        try (CpuLoad load = CpuLoad.start(); ScenarioRunner runner = runner(DeadlockIT.twoRows())) {
            List<String> first = DeadlockIT.everySchedule(runner);
            List<String> second = DeadlockIT.everySchedule(runner);

            assertThat(second).isEqualTo(first);
            // as on PostgreSQL (DeadlockIT): 42 schedules, 24 deadlocks, each session the victim in half;
            // neither transaction changed a row, so InnoDB fails the one whose wait closed the cycle
            assertThat(first).hasSize(42);
            assertThat(first).filteredOn(run -> run.contains("A was its victim")).hasSize(12);
            assertThat(first).filteredOn(run -> run.contains("B was its victim")).hasSize(12);
            assertThat(load.spins()).isPositive();
        }
    }

    /**
     * The notes' case 7c: A inserts a value without committing, B and C insert it too and wait; A
     * rolls back. Both waiters then hold a shared lock on the row and want it exclusive: InnoDB ends
     * that deadlock, failing exactly one of them with 1213, which the verdict names. Which of the
     * two is the database's race between their threads, not the schedule's.
     */
    @Test
    void threeInsertsOfOneValueWhereTheFirstRollsBackEndWithExactlyOneDeadlock() {
        Scenario scenario = Race.scenario("three inserts of one value")
                .setupSql("DELETE FROM unique_value")
                .session("A", s -> s.step("BEGIN").step("INSERT INTO unique_value VALUES (1)").step("ROLLBACK"))
                .session("B", s -> s.step("BEGIN").step("INSERT INTO unique_value VALUES (1)").expectBlocks().step("COMMIT"))
                .session("C", s -> s.step("BEGIN").step("INSERT INTO unique_value VALUES (1)").expectBlocks().step("COMMIT"))
                .build();
        try (ScenarioRunner runner = runner(scenario)) {
            for (int i = 0; i < 5; i++) {
                Execution run = runner.run(Explorer.follow(Schedule.parse("A A B B C C A B C")));

                List<Session.StepResult> inserts = List.of(sessionResult(run, "B", 1), sessionResult(run, "C", 1));
                assertThat(inserts).as("run %d", i + 1).filteredOn(Session.StepResult::failed).hasSize(1)
                        .allSatisfy(failed -> assertThat(failed.sqlState()).isEqualTo("40001"));
                String victim = inserts.get(0).failed() ? "B" : "C";
                assertThat(run.verdict()).as("run %d", i + 1).isInstanceOfSatisfying(Verdict.Deadlock.class, deadlock -> {
                    assertThat(deadlock.victim()).isEqualTo(victim);
                    assertThat(deadlock.endedByDatabase()).isTrue();
                });
                assertThat(TraceLines.of(run)).as("run %d", i + 1).filteredOn(line -> line.endsWith("ERROR 40001")).hasSize(1);
            }
        }
    }

    /**
     * A cycle through a user lock and a row lock, which neither InnoDB nor the metadata-lock
     * subsystem can see: once every actor waits, the harness cancels the wait that closed it with
     * {@code KILL QUERY}, and that statement fails with 1317 (SQLSTATE 70100).
     */
    @Test
    void aCycleNoDetectorSeesEndsByKillQueryOfTheWaitThatClosedIt() {
        Scenario scenario = Race.scenario("user lock and row lock")
                .setupSql("DELETE FROM counter", "INSERT INTO counter VALUES (1, 0)")
                .session("A", s -> s.step("BEGIN").step("UPDATE counter SET v = 1 WHERE id = 1")
                        .step("SELECT GET_LOCK('cycle', 30)").step("ROLLBACK").step("SELECT RELEASE_LOCK('cycle')"))
                .session("B", s -> s.step("SELECT GET_LOCK('cycle', 30)").step("UPDATE counter SET v = 2 WHERE id = 1")
                        .step("SELECT RELEASE_LOCK('cycle')"))
                .build();
        try (ScenarioRunner runner = runner(scenario)) {
            for (int i = 0; i < 3; i++) {
                Execution run = runner.run(Explorer.follow(Schedule.parse("A A B A B B A A")));

                assertThat(run.verdict()).as("run %d", i + 1).isEqualTo(new Verdict.Deadlock(List.of("A", "B"), "B", 4, false));
                assertThat(sessionResult(run, "B", 1).sqlState()).isEqualTo("70100");
                assertThat(sessionResult(run, "B", 1).error()).contains("interrupted");
                assertThat(TraceLines.of(run)).as("run %d", i + 1).containsExactly(
                        "0 A BEGIN -> ok",
                        "1 A UPDATE counter SET v = 1 WHERE id = 1 -> updated 1",
                        "2 B SELECT GET_LOCK('cycle', 30) -> 1 rows",
                        "3 A SELECT GET_LOCK('cycle', 30) -> <waiting>",
                        "4 B UPDATE counter SET v = 2 WHERE id = 1 -> <waiting>",
                        "4 B <... completed> -> ERROR 70100",
                        "5 B SELECT RELEASE_LOCK('cycle') -> 1 rows",
                        "3 A <... completed> -> 1 rows",
                        "= B",
                        "6 A ROLLBACK -> ok",
                        "7 A SELECT RELEASE_LOCK('cycle') -> 1 rows",
                        "= A");
            }
        }
    }

    /**
     * A {@code GET_LOCK} lock an actor never released is gone when the next run begins: user locks
     * belong to the session and outlive COMMIT, so handing the connection back releases them.
     */
    @Test
    void aUserLockLeftByOneRunIsNotHeldInTheNext() {
        Scenario scenario = Race.scenario("a user lock left behind")
                .actor("A", MariaDbBlockingIT::takeUserLockAndKeepIt)
                .actor("B", MariaDbBlockingIT::takeUserLockAndKeepIt)
                .build();
        try (ScenarioRunner runner = runner(scenario)) {
            Execution aFirst = runner.run(Explorer.follow(Schedule.parse("A B A B")));
            Execution bFirst = runner.run(Explorer.follow(Schedule.parse("B A B A")));

            assertThat(returned(aFirst, "A")).isEqualTo(1);
            assertThat(returned(aFirst, "B")).as("A holds it").isEqualTo(0);
            assertThat(returned(bFirst, "B")).as("A's lock did not outlive its run").isEqualTo(1);
            assertThat(returned(bFirst, "A")).isEqualTo(0);
        }
    }

    private static int takeUserLockAndKeepIt(javax.sql.DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            int taken;
            try (ResultSet rs = s.executeQuery("SELECT GET_LOCK('left behind', 0)")) {
                rs.next();
                taken = rs.getInt(1);
            }
            s.executeQuery("SELECT 1").close(); // holding it, and never RELEASE_LOCK
            return taken;
        }
    }

    private static Object returned(Execution run, String actor) {
        Outcome outcome = run.outcomes().of(actor);
        assertThat(outcome).isInstanceOf(Outcome.Returned.class);
        return ((Outcome.Returned) outcome).value();
    }

    private static Session.StepResult sessionResult(Execution run, String actor, int index) {
        Outcome outcome = run.outcomes().of(actor);
        assertThat(outcome).isInstanceOf(Outcome.Returned.class);
        return (Session.StepResult) ((List<?>) ((Outcome.Returned) outcome).value()).get(index);
    }
}
