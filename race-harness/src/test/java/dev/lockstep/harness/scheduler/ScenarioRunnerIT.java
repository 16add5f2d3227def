package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.db.DatabaseKind;
import dev.lockstep.harness.db.TestDatabase;
import dev.lockstep.harness.db.TestDatabases;
import dev.lockstep.harness.explore.Decider;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.harness.trace.StepResult;
import dev.lockstep.harness.trace.TraceEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
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

    private TestDatabase sqlite;
    private TestDatabase postgres;

    @BeforeAll
    void databases() throws Exception {
        sqlite = TestDatabases.shared().create(DatabaseKind.SQLITE);
        postgres = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
        for (TestDatabase db : List.of(sqlite, postgres)) {
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, run_key TEXT NOT NULL, status TEXT NOT NULL)");
                s.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
            }
        }
    }

    @AfterAll
    void drop() {
        sqlite.close();
        postgres.close();
    }

    private DataSource dataSource(DatabaseKind kind) {
        return kind == DatabaseKind.SQLITE ? sqlite.dataSource() : postgres.dataSource();
    }

    /** The original bug in plain JDBC: insert pending, count running, update to running. */
    private static Scenario checkThenAct() {
        return Race.scenario("check-then-act")
                .setupSql("DELETE FROM runs")
                .actor("A", ds -> start(ds, 1))
                .actor("B", ds -> start(ds, 2))
                .invariant("at most one running run per key",
                        "SELECT run_key FROM runs WHERE status = 'running' GROUP BY run_key HAVING count(*) > 1")
                .build();
    }

    private static boolean start(DataSource ds, int id) throws Exception {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO runs (id, run_key, status) VALUES (?, 'k', 'pending')")) {
                insert.setInt(1, id);
                insert.executeUpdate();
            }
            try (PreparedStatement guard = c.prepareStatement("SELECT id FROM runs WHERE run_key = 'k' AND status = 'running'");
                 ResultSet rs = guard.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE runs SET status = 'running' WHERE id = ?")) {
                update.setInt(1, id);
                return update.executeUpdate() == 1;
            }
        }
    }

    private static Decider follow(String schedule) {
        Schedule s = Schedule.parse(schedule);
        return (step, ready, previous) -> step < s.size() ? s.get(step)
                : ready.contains(previous) ? previous : ready.get(0);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void serialScheduleKeepsTheInvariant(DatabaseKind kind) {
        try (ScenarioRunner runner = new ScenarioRunner(checkThenAct(), dataSource(kind), Duration.ofSeconds(20))) {
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
            assertThat(steps.get(0).result()).isEqualTo(new StepResult.Updated(1));
            assertThat(steps.get(1).result()).isEqualTo(new StepResult.Rows(0));
            assertThat(steps.get(4).result()).isEqualTo(new StepResult.Rows(1));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void theInterleavingThatBreaksItIsFoundAndReplaysIdentically(DatabaseKind kind) {
        try (ScenarioRunner runner = new ScenarioRunner(checkThenAct(), dataSource(kind), Duration.ofSeconds(20))) {
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
    @EnumSource(DatabaseKind.class)
    void anActorWaitingForALockShowsWaitingThenCompleted(DatabaseKind kind) {
        String begin = kind == DatabaseKind.SQLITE ? "BEGIN IMMEDIATE" : "BEGIN";
        String lock = kind == DatabaseKind.SQLITE ? "UPDATE counter SET n = n WHERE id = 1" : "SELECT n FROM counter WHERE id = 1 FOR UPDATE";
        Scenario scenario = Race.scenario("lost update")
                .setupSql("DELETE FROM counter", "INSERT INTO counter (id, n) VALUES (1, 0)")
                .session("A", s -> s.step(begin).step(lock).step("UPDATE counter SET n = n + 1 WHERE id = 1").expectUpdateCount(1).step("COMMIT"))
                .session("B", s -> {
                    // PostgreSQL: B's BEGIN goes through and its FOR UPDATE waits; SQLite: BEGIN IMMEDIATE itself waits
                    s.step(begin);
                    if (kind == DatabaseKind.SQLITE) {
                        s.expectBlocks();
                    }
                    s.step(lock);
                    if (kind == DatabaseKind.POSTGRESQL) {
                        s.expectBlocks();
                    }
                    s.step("UPDATE counter SET n = n + 1 WHERE id = 1").expectUpdateCount(1).step("COMMIT");
                })
                .finalInvariant("both increments count", "SELECT n FROM counter WHERE n <> 2")
                .build();
        String schedule = kind == DatabaseKind.SQLITE ? "A A B A A B B B" : "A A B B A A B B";
        try (ScenarioRunner runner = new ScenarioRunner(scenario, dataSource(kind), Duration.ofSeconds(20))) {
            Execution run = runner.run(follow(schedule));

            List<TraceEvent> events = run.trace().events();
            assertThat(events).filteredOn(e -> e instanceof TraceEvent.Step s && s.result() instanceof StepResult.Waiting)
                    .hasSize(1).allSatisfy(e -> assertThat(e.actor()).isEqualTo("B"));
            assertThat(events).filteredOn(TraceEvent.Completed.class::isInstance).hasSize(1)
                    .allSatisfy(e -> assertThat(e.actor()).isEqualTo("B"));
            assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
            assertThat(run.schedule().size()).isEqualTo(8);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "POSTGRESQL")
    void aTwoLockDeadlockIsReportedNotHung(DatabaseKind kind) throws Exception {
        try (Connection c = dataSource(kind).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS pair (id INTEGER PRIMARY KEY)");
        }
        Scenario scenario = Race.scenario("two locks")
                .setupSql("DELETE FROM pair", "INSERT INTO pair VALUES (1), (2)")
                .session("A", s -> s.step("BEGIN").step("SELECT id FROM pair WHERE id = 1 FOR UPDATE")
                        .step("SELECT id FROM pair WHERE id = 2 FOR UPDATE").step("COMMIT"))
                .session("B", s -> s.step("BEGIN").step("SELECT id FROM pair WHERE id = 2 FOR UPDATE")
                        .step("SELECT id FROM pair WHERE id = 1 FOR UPDATE").step("COMMIT"))
                .build();
        try (ScenarioRunner runner = new ScenarioRunner(scenario, dataSource(kind), Duration.ofSeconds(20))) {
            long started = System.nanoTime();
            Execution run = runner.run(follow("A A B B A B"));

            assertThat(run.verdict()).isInstanceOfSatisfying(Verdict.Deadlock.class,
                    d -> assertThat(d.actors()).containsExactlyInAnyOrder("A", "B"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

            Execution next = runner.run(follow("A A A A B B B B"));
            assertThat(next.verdict()).isEqualTo(new Verdict.Passed());
        }
    }
}
