package dev.lockstep.examples.workflow;

import static dev.lockstep.examples.Exhaustive.assertNoRaceAndOutcomes;
import static dev.lockstep.harness.junit.RaceAssertions.assertRaceFound;
import static dev.lockstep.testdb.DatabaseKind.POSTGRESQL;
import static dev.lockstep.testdb.DatabaseKind.SQLITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.Claim;
import dev.lockstep.core.Database;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.examples.TableRows;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.junit.RaceTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

class WorkflowRunRacesIT {

    private static final String ONE_RUNNING_PER_WORKFLOW = "at most one run of a workflow is running";
    private static final String ONE_ACTIVE_RUN = "SELECT run_key, count(*) AS active FROM lockstep_run"
            + " WHERE status IN ('running', 'paused') GROUP BY run_key HAVING count(*) > 1";
    private static final String RUN = "SELECT status, owner, fence FROM lockstep_run";

    static final Scenario NAIVE_START_START = Race.scenario("naive start-start")
            .setupSql("DELETE FROM workflow_run",
                    "INSERT INTO workflow_run (id, workflow, status) VALUES ('run-1', 'nightly', 'PENDING'), ('run-2', 'nightly', 'PENDING')")
            .actor("A", ds -> new NaiveWorkflowRuns(ds).start("run-1") ? "started" : "refused")
            .actor("B", ds -> new NaiveWorkflowRuns(ds).start("run-2") ? "started" : "refused")
            .invariant(ONE_RUNNING_PER_WORKFLOW,
                    "SELECT workflow, count(*) AS running FROM workflow_run WHERE status = 'RUNNING' GROUP BY workflow HAVING count(*) > 1")
            .build();

    static final Scenario START_START = Race.scenario("start-start")
            .setup(c -> runs(c, pending(1), pending(2)))
            .actor("A", ds -> new CoordinatedWorkflowRuns(ds).start(1, "A").isPresent() ? "started" : "refused")
            .actor("B", ds -> new CoordinatedWorkflowRuns(ds).start(2, "B").isPresent() ? "started" : "refused")
            .invariant(ONE_RUNNING_PER_WORKFLOW, ONE_ACTIVE_RUN)
            .finalCheck("exactly one start wins; its run is running, the other is cancelled", (outcomes, observer) -> {
                List<String> statuses = TableRows.of(observer, "SELECT status FROM lockstep_run ORDER BY id");
                return outcomes.returned("started") == 1 && outcomes.returned("refused") == 1
                        && statuses.equals(List.of(outcomes.of("A").returned("started") ? "running" : "cancelled",
                                                   outcomes.of("B").returned("started") ? "running" : "cancelled"));
            })
            .build();

    static final Scenario RESUME_RESUME = Race.scenario("resume-resume")
            .setup(c -> runs(c, started(1, "failed", "worker-0")))
            .actor("A", ds -> new CoordinatedWorkflowRuns(ds).resume(1, "A").isPresent() ? "resumed" : "refused")
            .actor("B", ds -> new CoordinatedWorkflowRuns(ds).resume(1, "B").isPresent() ? "resumed" : "refused")
            .invariant(ONE_RUNNING_PER_WORKFLOW, ONE_ACTIVE_RUN)
            .finalCheck("exactly one resume wins, and the run is running for it with the next fence", (outcomes, observer) -> {
                if (outcomes.returned("resumed") != 1 || outcomes.returned("refused") != 1) {
                    return false;
                }
                String winner = outcomes.actorsWhere(o -> o.returned("resumed")).get(0);
                return TableRows.of(observer, RUN).equals(List.of("running " + winner + " 2"));
            })
            .build();

    static final Scenario CANCEL_COMPLETE = Race.scenario("cancel-complete")
            .setup(c -> runs(c, started(1, "running", "worker-1")))
            .actor("C", ds -> new CoordinatedWorkflowRuns(ds).cancel(1) ? "cancelled" : "already finished")
            .actor("K", ds -> new CoordinatedWorkflowRuns(ds).complete(new Claim(1, "nightly", "worker-1", 1)) ? "completed" : "lost the run")
            .invariant(ONE_RUNNING_PER_WORKFLOW, ONE_ACTIVE_RUN)
            .finalCheck("each answer is what the table holds", (outcomes, observer) -> {
                List<String> run = TableRows.of(observer, RUN);
                if (run.equals(List.of("cancelled worker-1 1"))) {
                    return outcomes.of("C").returned("cancelled") && outcomes.of("K").returned("lost the run");
                }
                return run.equals(List.of("completed worker-1 1"))
                        && outcomes.of("K").returned("completed") && outcomes.of("C").returned("already finished");
            })
            .build();

    @BeforeEach
    void installLockstep(DataSource dataSource) {
        Schema.install(dataSource, Strategy.ADVISORY_LOCK);
    }

    @RaceTest(databases = {SQLITE, POSTGRESQL}, setup = NaiveWorkflowRuns.TABLE)
    void naiveStartsBothRunsOfOneWorkflow(RaceHarness harness) {
        RaceResult result = harness.explore(NAIVE_START_START, Explorer.exhaustive(1_000));

        Execution race = assertRaceFound(result);
        assertThat(race.verdict()).isEqualTo(new Verdict.InvariantBroken(ONE_RUNNING_PER_WORKFLOW, 5, "workflow=nightly, running=2"));
        assertThat(result.report()).contains("replay: A A B B B A");
        // each start's guard read 0 running runs before either update: the trace shows what each query returned
        assertThat(Pattern.compile("\\brunning=0\\b").matcher(result.report()).results().count()).isEqualTo(2);
    }

    @RaceTest(databases = {SQLITE, POSTGRESQL}, setup = NaiveWorkflowRuns.TABLE)
    void oneStartAtATimeTheNaiveGuardHolds(DataSource dataSource) throws SQLException {
        NaiveWorkflowRuns runs = new NaiveWorkflowRuns(dataSource);
        String first = runs.schedule("nightly");
        String second = runs.schedule("nightly");

        assertThat(runs.start(first)).isTrue();
        assertThat(runs.start(second)).isFalse();
        try (Connection c = dataSource.getConnection()) {
            assertThat(TableRows.of(c, "SELECT status FROM workflow_run ORDER BY status")).containsExactly("PENDING", "RUNNING");
        }
    }

    @RaceTest(databases = {SQLITE, POSTGRESQL})
    void aWorkflowRunsLifecycleOneCallAtATime(DataSource dataSource) throws SQLException {
        CoordinatedWorkflowRuns runs = new CoordinatedWorkflowRuns(dataSource);
        long first = runs.schedule("nightly");
        long second = runs.schedule("nightly");

        Claim claim = runs.start(first, "worker-1").orElseThrow();
        assertThat(runs.start(second, "worker-2")).isEmpty();
        assertThat(runs.complete(claim)).isTrue();
        assertThat(runs.cancel(first)).isFalse();
        assertThat(runs.resume(second, "worker-2")).isEmpty();
        try (Connection c = dataSource.getConnection()) {
            assertThat(TableRows.of(c, "SELECT status FROM lockstep_run ORDER BY id")).containsExactly("completed", "cancelled");
        }
    }

    // lock-core's calls send many statements: every schedule with at most two preemptions (a check-then-act race needs one)
    @RaceTest(databases = {SQLITE, POSTGRESQL})
    void lockstepStartsOneRunOfAWorkflow(RaceHarness harness) {
        assertNoRaceAndOutcomes(harness.explore(START_START, Explorer.exhaustive(2_000, 2)), "A=started B=refused", "A=refused B=started");
    }

    @RaceTest(databases = {SQLITE, POSTGRESQL})
    void oneOfTwoResumesWins(RaceHarness harness) {
        assertNoRaceAndOutcomes(harness.explore(RESUME_RESUME, Explorer.exhaustive(2_000, 2)), "A=resumed B=refused", "A=refused B=resumed");
    }

    @RaceTest(databases = {SQLITE, POSTGRESQL})
    void aCancelRacingACompleteAnswersWhatTheTableHolds(RaceHarness harness) {
        assertNoRaceAndOutcomes(harness.explore(CANCEL_COMPLETE, Explorer.exhaustive(2_000, 2)),
                "C=cancelled K=lost the run", "C=already finished K=completed");
    }

    /** A pending run of workflow {@code nightly}. */
    private static String pending(long id) {
        return "INSERT INTO lockstep_run (id, run_key, name, status, fence, created_at) VALUES (" + id + ", 'nightly', 'nightly', 'pending', 0, %1$s)";
    }

    /** A run of workflow {@code nightly} started once (fence 1) by {@code owner}, now {@code status}. */
    private static String started(long id, String status, String owner) {
        return "INSERT INTO lockstep_run (id, run_key, name, status, owner, fence, created_at, started_at, last_activity_at) VALUES ("
                + id + ", 'nightly', 'nightly', '" + status + "', '" + owner + "', 1, %1$s, %1$s, %1$s)";
    }

    /** Replaces lock-core's runs with {@code inserts}, their times ({@code %1$s}) the database clock's now. */
    private static void runs(Connection c, String... inserts) throws SQLException {
        String now = Database.of(c).nowMillisSql();
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM lockstep_run");
            for (String insert : inserts) {
                s.execute(String.format(insert, now));
            }
        }
    }
}
