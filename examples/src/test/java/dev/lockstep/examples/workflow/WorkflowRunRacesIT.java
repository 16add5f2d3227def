package dev.lockstep.examples.workflow;

import static dev.lockstep.harness.junit.RaceAssertions.assertRaceFound;
import static dev.lockstep.testdb.DatabaseKind.POSTGRESQL;
import static dev.lockstep.testdb.DatabaseKind.SQLITE;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.regex.Pattern;
import javax.sql.DataSource;

class WorkflowRunRacesIT {

    private static final String ONE_RUNNING_PER_WORKFLOW = "at most one run of a workflow is running";

    static final Scenario NAIVE_START_START = Race.scenario("naive start-start")
            .setupSql("DELETE FROM workflow_run",
                    "INSERT INTO workflow_run (id, workflow, status) VALUES ('run-1', 'nightly', 'PENDING'), ('run-2', 'nightly', 'PENDING')")
            .actor("A", ds -> new NaiveWorkflowRuns(ds).start("run-1") ? "started" : "refused")
            .actor("B", ds -> new NaiveWorkflowRuns(ds).start("run-2") ? "started" : "refused")
            .invariant(ONE_RUNNING_PER_WORKFLOW,
                    "SELECT workflow, count(*) AS running FROM workflow_run WHERE status = 'RUNNING' GROUP BY workflow HAVING count(*) > 1")
            .build();

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
}
