package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.explore.Decider;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.harness.trace.CallResult;
import dev.lockstep.harness.trace.TraceEvent;
import dev.lockstep.testdb.DatabaseKind;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The runtime on real databases, with plain JDBC actors and fixed schedules. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenarioRunnerIT {

    private TestedDatabases databases;

    @BeforeAll
    void databases() throws Exception {
        databases = TestedDatabases.create(CheckThenAct.TABLE, "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
    }

    @AfterAll
    void drop() {
        databases.close();
    }


    private static Decider follow(String schedule) {
        Schedule s = Schedule.parse(schedule);
        return (step, ready, previous) -> step < s.size() ? s.get(step)
                : ready.contains(previous) ? previous : ready.get(0);
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void serialScheduleKeepsTheInvariant(DatabaseKind kind) {
        try (ScenarioRunner runner = new ScenarioRunner(CheckThenAct.scenario(), databases.of(kind), Duration.ofSeconds(20))) {
            Execution run = runner.run(follow("A A A B B B"));

            assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
            // B's guard sees A running and returns before its update: B has two steps, not three
            assertThat(run.schedule()).hasToString("A A A B B");
            assertThat(run.outcomes().of("A")).isEqualTo(new Outcome.Returned(true));
            assertThat(run.outcomes().of("B")).isEqualTo(new Outcome.Returned(false));
            assertThat(run.preemptions()).isZero();
            List<TraceEvent.Step> steps = run.trace().events().stream()
                    .filter(TraceEvent.Step.class::isInstance).map(TraceEvent.Step.class::cast).toList();
            assertThat(steps).extracting(TraceEvent.Step::actor).containsExactly("A", "A", "A", "B", "B");
            assertThat(steps.get(0).parameters()).containsExactly(1);
            assertThat(steps.get(0).result()).isEqualTo(new CallResult.Updated(1));
            assertThat(steps.get(1).result()).isEqualTo(new CallResult.Rows(0));
            assertThat(steps.get(4).result()).isInstanceOfSatisfying(CallResult.Rows.class, read -> {
                assertThat(read.rows()).isEqualTo(1);
                assertThat(read.firstRows()).hasSize(1);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void theInterleavingThatBreaksItIsFoundAndReplaysIdentically(DatabaseKind kind) {
        try (ScenarioRunner runner = new ScenarioRunner(CheckThenAct.scenario(), databases.of(kind), Duration.ofSeconds(20))) {
            for (int i = 0; i < 20; i++) {
                Execution run = runner.run(follow("A A B B A B"));

                assertThat(run.verdict()).isInstanceOfSatisfying(Verdict.InvariantBroken.class, broken -> {
                    assertThat(broken.invariant()).isEqualTo("at most one running run per key");
                    assertThat(broken.afterStep()).isEqualTo(5);
                    assertThat(broken.evidence()).contains("k");
                });
                assertThat(run.schedule()).hasToString("A A B B A B");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void anActorWaitingForALockShowsWaitingThenCompleted(DatabaseKind kind) {
        String begin = kind == DatabaseKind.SQLITE ? "BEGIN IMMEDIATE" : "BEGIN";
        String lock = kind == DatabaseKind.SQLITE ? "UPDATE counter SET n = n WHERE id = 1" : "SELECT n FROM counter WHERE id = 1 FOR UPDATE";
        Scenario scenario = Race.scenario("lost update")
                .setupSql("DELETE FROM counter", "INSERT INTO counter (id, n) VALUES (1, 0)")
                .session("A", s -> s.step(begin).step(lock).step("UPDATE counter SET n = n + 1 WHERE id = 1").expectUpdateCount(1).step("COMMIT"))
                .session("B", s -> {
                    // PostgreSQL, MariaDB: B's BEGIN goes through and its FOR UPDATE waits; SQLite: BEGIN IMMEDIATE itself waits
                    s.step(begin);
                    if (kind == DatabaseKind.SQLITE) {
                        s.expectBlocks();
                    }
                    s.step(lock);
                    if (kind != DatabaseKind.SQLITE) {
                        s.expectBlocks();
                    }
                    s.step("UPDATE counter SET n = n + 1 WHERE id = 1").expectUpdateCount(1).step("COMMIT");
                })
                .finalInvariant("both increments count", "SELECT n FROM counter WHERE n <> 2")
                .build();
        String schedule = kind == DatabaseKind.SQLITE ? "A A B A A B B B" : "A A B B A A B B";
        try (ScenarioRunner runner = new ScenarioRunner(scenario, databases.of(kind), Duration.ofSeconds(20))) {
            Execution run = runner.run(follow(schedule));

            List<TraceEvent> events = run.trace().events();
            assertThat(events).filteredOn(e -> e instanceof TraceEvent.Step s && s.result() instanceof CallResult.Waiting)
                    .hasSize(1).allSatisfy(e -> assertThat(e.actor()).isEqualTo("B"));
            assertThat(events).filteredOn(TraceEvent.Completed.class::isInstance).hasSize(1)
                    .allSatisfy(e -> assertThat(e.actor()).isEqualTo("B"));
            assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
            assertThat(run.schedule().size()).isEqualTo(8);
        }
    }

    /** Two writes in one transaction, then its commit: the writes show to other sessions at the commit, and only there. */
    private static Scenario writesInOneTransaction(Scenario.Builder builder) {
        return builder.setupSql("DELETE FROM counter")
                .actor("A", ds -> {
                    try (var c = ds.getConnection(); var s = c.createStatement()) {
                        c.setAutoCommit(false);
                        s.executeUpdate("INSERT INTO counter (id, n) VALUES (1, 0)");
                        s.executeUpdate("INSERT INTO counter (id, n) VALUES (2, 0)");
                        c.commit();
                    }
                    return null;
                })
                .build();
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void anInvariantBrokenInsideATransactionBreaksAtItsCommit(DatabaseKind kind) {
        Scenario scenario = writesInOneTransaction(Race.scenario("two rows at once")
                .invariant("at most one row", "SELECT count(*) FROM counter HAVING count(*) > 1"));
        try (ScenarioRunner runner = new ScenarioRunner(scenario, databases.of(kind), Duration.ofSeconds(20))) {
            Execution run = runner.run(follow("A A A"));

            assertThat(run.verdict()).isInstanceOfSatisfying(Verdict.InvariantBroken.class,
                    broken -> assertThat(broken.afterStep()).isEqualTo(2));
            assertThat(run.trace().events()).filteredOn(TraceEvent.Step.class::isInstance).extracting(e -> ((TraceEvent.Step) e).kind())
                    .containsExactly(TraceEvent.Kind.STATEMENT, TraceEvent.Kind.STATEMENT, TraceEvent.Kind.COMMIT);
        }
    }

    @org.junit.jupiter.api.Test
    void writesInsideAnOpenTransactionAreNotFollowedByAnInvariantCheckTheirCommitIs() throws Exception {
        DataSource postgres = databases.of(DatabaseKind.POSTGRESQL);
        try (var c = postgres.getConnection(); var s = c.createStatement()) {
            s.execute("CREATE SEQUENCE IF NOT EXISTS checks");
            s.execute("SELECT setval('checks', 1, false)");
        }
        // each check of this invariant draws a number (sequences ignore transactions), and it never breaks
        Scenario scenario = writesInOneTransaction(Race.scenario("counted checks")
                .invariant("checks are counted", "SELECT 1 WHERE nextval('checks') < 0"));
        try (ScenarioRunner runner = new ScenarioRunner(scenario, postgres, Duration.ofSeconds(20))) {
            Execution run = runner.run(follow("A A A"));

            assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
        }
        try (var c = postgres.getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT nextval('checks')")) {
            rs.next();
            // one check after the commit (step 2), one at the end: none after the two uncommitted inserts
            assertThat(rs.getLong(1) - 1).isEqualTo(2);
        }
    }

    /** The same two writes in a transaction begun and ended by statements, as lock-core does on SQLite. */
    private static Scenario writesBetweenBeginAndCommitStatements(Scenario.Builder builder) {
        return builder.setupSql("DELETE FROM counter")
                .actor("A", ds -> {
                    try (var c = ds.getConnection(); var s = c.createStatement()) {
                        s.execute("BEGIN");
                        s.executeUpdate("INSERT INTO counter (id, n) VALUES (1, 0)");
                        s.executeUpdate("INSERT INTO counter (id, n) VALUES (2, 0)");
                        s.execute("COMMIT");
                    }
                    return null;
                })
                .build();
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void aTransactionBegunByAStatementIsCheckedAtItsCommitAndNotBefore(DatabaseKind kind) {
        int[] checks = {0};
        Scenario counted = writesBetweenBeginAndCommitStatements(Race.scenario("counted checks, BEGIN statement")
                .invariant("checks are counted", observer -> ++checks[0] > 0));
        try (ScenarioRunner runner = new ScenarioRunner(counted, databases.of(kind), Duration.ofSeconds(20))) {
            assertThat(runner.run(follow("A A A A")).verdict()).isEqualTo(new Verdict.Passed());
        }
        // one check after the COMMIT (step 3), one at the end: none after the BEGIN and the uncommitted inserts
        assertThat(checks[0]).isEqualTo(2);

        Scenario broken = writesBetweenBeginAndCommitStatements(Race.scenario("two rows at once, BEGIN statement")
                .invariant("at most one row", "SELECT count(*) FROM counter HAVING count(*) > 1"));
        try (ScenarioRunner runner = new ScenarioRunner(broken, databases.of(kind), Duration.ofSeconds(20))) {
            Execution run = runner.run(follow("A A A A"));

            assertThat(run.verdict()).isInstanceOfSatisfying(Verdict.InvariantBroken.class,
                    b -> assertThat(b.afterStep()).isEqualTo(3));
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void aFailedStatementInsideATransactionBegunByAStatementIsFollowedByACheck(DatabaseKind kind) {
        int[] checks = {0};
        Scenario scenario = Race.scenario("a failure inside a BEGIN statement's transaction").setupSql("DELETE FROM counter")
                .invariant("checks are counted", observer -> ++checks[0] > 0)
                .actor("A", ds -> {
                    try (var c = ds.getConnection(); var s = c.createStatement()) {
                        s.execute("BEGIN");
                        s.executeUpdate("INSERT INTO counter (id, n) VALUES (1, 0)");
                        try {
                            s.executeUpdate("INSERT INTO counter (id, n) VALUES (1, 0)"); // a duplicate key
                        } catch (java.sql.SQLException expected) {
                            // the harness cannot be sure the transaction survived it
                        }
                        s.execute("ROLLBACK");
                    }
                    return null;
                })
                .build();
        try (ScenarioRunner runner = new ScenarioRunner(scenario, databases.of(kind), Duration.ofSeconds(20))) {
            assertThat(runner.run(follow("A A A A")).verdict()).isEqualTo(new Verdict.Passed());
        }
        // SQLite cannot tell, so after the failed insert (step 2) as after the ROLLBACK (step 3) and at the end;
        // pgjdbc tracks the aborted transaction, which shows nothing new until the ROLLBACK
        assertThat(checks[0]).isEqualTo(kind == DatabaseKind.SQLITE ? 3 : 2);
    }
}
