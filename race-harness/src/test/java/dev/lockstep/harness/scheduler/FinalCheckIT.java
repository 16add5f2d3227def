package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.dsl.Actor;
import dev.lockstep.dsl.Outcomes;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Exploration;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.harness.trace.TraceReport;
import dev.lockstep.testdb.DatabaseKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A final check sees the actors' outcomes and the state they left together: "each actor's answer is
 * the job's final status" needs both, and neither an invariant nor an outcome expectation can say it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FinalCheckIT {

    private static final String ANSWERS_MATCH_THE_STATE = "each actor's answer is the job's final status";
    private static final Map<DatabaseKind, String> PRODUCT = Map.of(
            DatabaseKind.SQLITE, "SQLite", DatabaseKind.POSTGRESQL, "PostgreSQL", DatabaseKind.MARIADB, "MariaDB");

    @AutoClose
    private final TestedDatabases databases;

    FinalCheckIT() throws SQLException {
        databases = TestedDatabases.create("CREATE TABLE job (id INTEGER PRIMARY KEY, status VARCHAR(20) NOT NULL)");
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void answersFromACompareAndSwapMatchTheFinalStateInEverySchedule(DatabaseKind kind) {
        Scenario scenario = cancelAndComplete(compareAndSwap("cancelled"));

        Exploration exploration = exploreAll(scenario, kind);

        // one statement each: C K and K C
        assertThat(exploration.runs()).isEqualTo(2);
        assertThat(exploration.failures()).isZero();
        assertThat(exploration.complete()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void aCancelThatReadsThenWritesIsCaughtLyingAboutTheOutcome(DatabaseKind kind) {
        Scenario scenario = cancelAndComplete(readThenCancel());

        Exploration exploration = exploreAll(scenario, kind);

        // C C K and K C (C reads 'completed' and stops) keep the promise; C K C overwrites the completion
        assertThat(exploration.runs()).isEqualTo(3);
        assertThat(exploration.failures()).isEqualTo(1);
        // the two schedules without a preemption come first
        assertThat(exploration.firstFailureRun()).isEqualTo(3);
        assertThat(exploration.outcomes()).containsOnly(Map.entry("C=cancelled K=too late", 1), Map.entry("C=too late K=completed", 1),
                Map.entry("C=cancelled K=completed", 1));
        Execution failing = exploration.firstFailure().orElseThrow();
        assertThat(failing.schedule()).hasToString("C K C");
        assertThat(failing.verdict()).isEqualTo(new Verdict.ExpectationFailed(ANSWERS_MATCH_THE_STATE));
        assertThat(failing.outcomes().label()).isEqualTo("C=cancelled K=completed");
        assertThat(TraceReport.of(scenario.name(), kind.name(), failing).render())
                .contains("expectation failed: " + ANSWERS_MATCH_THE_STATE)
                .contains("outcomes: C=cancelled K=completed");
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void anyRunCanBeReportedWithTheDatabaseNamedByTheHarness(DatabaseKind kind) {
        Scenario scenario = cancelAndComplete(readThenCancel());
        RaceHarness harness = RaceHarness.on(databases.of(kind));

        Execution passing = harness.replay(scenario, Schedule.parse("C C K"));
        Execution failing = harness.replay(scenario, Schedule.parse("C K C"));

        assertThat(harness.report(scenario, passing)).startsWith("scenario: cancel and complete\ndatabase: " + PRODUCT.get(kind) + " ")
                .contains("broke: nothing (passed)").contains("replay: C C K");
        assertThat(harness.report(scenario, failing)).contains("broke: expectation failed: " + ANSWERS_MATCH_THE_STATE)
                .contains("outcomes: C=cancelled K=completed").contains("replay: C K C");
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void aCheckThatCannotReadTheDatabaseFailsTheRunNamingTheCheck(DatabaseKind kind) {
        Scenario scenario = Race.scenario("missing table")
                .actor("A", dataSource -> "done")
                .expect("A is done", outcomes -> outcomes.returned("done") == 1)
                .finalCheck("reads a missing table", (outcomes, observer) -> {
                    try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM no_such_table")) {
                        return !rs.next();
                    }
                })
                .build();

        try (ScenarioRunner runner = new ScenarioRunner(scenario, databases.of(kind), Duration.ofSeconds(20))) {
            assertThatThrownBy(() -> runner.run((step, ready, previous) -> ready.get(0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("checking expectation 'reads a missing table' failed: ")
                    .hasMessageContaining("no_such_table");
        }
    }

    /** C cancels job 1, K completes it with a compare-and-swap; both answer what they did, or "too late". */
    private static Scenario cancelAndComplete(Actor.Body cancel) {
        return Race.scenario("cancel and complete")
                .setupSql("DELETE FROM job", "INSERT INTO job (id, status) VALUES (1, 'running')")
                .actor("C", cancel)
                .actor("K", compareAndSwap("completed"))
                .finalCheck(ANSWERS_MATCH_THE_STATE, FinalCheckIT::answersMatchTheState)
                .build();
    }

    /** Whoever says it moved the job did, and whoever says "too late" did not. */
    private static boolean answersMatchTheState(Outcomes outcomes, Connection observer) throws SQLException {
        String status;
        try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery("SELECT status FROM job WHERE id = 1")) {
            rs.next();
            status = rs.getString(1);
        }
        return outcomes.returned(status) == 1 && outcomes.returned("too late") == 1;
    }

    private static Actor.Body compareAndSwap(String to) {
        return dataSource -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                int moved = s.executeUpdate("UPDATE job SET status = '" + to + "' WHERE id = 1 AND status = 'running'");
                return moved == 1 ? to : "too late";
            }
        };
    }

    /** The bug: checks the status, then writes without checking it again. */
    private static Actor.Body readThenCancel() {
        return dataSource -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT status FROM job WHERE id = 1")) {
                    rs.next();
                    if (!rs.getString(1).equals("running")) {
                        return "too late";
                    }
                }
                s.executeUpdate("UPDATE job SET status = 'cancelled' WHERE id = 1");
                return "cancelled";
            }
        };
    }

    private Exploration exploreAll(Scenario scenario, DatabaseKind kind) {
        try (ScenarioRunner runner = new ScenarioRunner(scenario, databases.of(kind), Duration.ofSeconds(20))) {
            return Explorer.exhaustive(1_000).keepGoing().explore(runner);
        }
    }
}
