package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.db.DatabaseKind;
import dev.lockstep.harness.explore.Explorer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replays through {@link RaceHarness}, on real databases. Here beside the runner's own tests for
 * their check-then-act scenario.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayIT {

    private BothDatabases databases;

    @BeforeAll
    void databases() throws Exception {
        databases = BothDatabases.create(CheckThenAct.TABLE);
    }

    @AfterAll
    void drop() {
        databases.close();
    }

    private RaceResult explore(DatabaseKind kind, Scenario scenario, Explorer explorer) {
        return RaceHarness.on(databases.of(kind)).explore(scenario, explorer);
    }

    private static Explorer.Replay replay(String schedule) {
        return Explorer.replay(Schedule.parse(schedule));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void rule3_a_failing_replay_is_printed_as_it_ran_never_shrunk(DatabaseKind kind) {
        RaceResult alternating = explore(kind, CheckThenAct.scenario(), replay("A B A B A B"));

        assertThat(alternating.shrunk()).isEmpty();
        assertThat(alternating.counterexample().orElseThrow().schedule()).hasToString("A B A B A B");
        assertThat(alternating.report()).contains("explorer: replay(A B A B A B)\n").contains("\nreplay: A B A B A B\n")
                .contains("\npreemptions: 4, decisions: 6\n").doesNotContain("shrunk from");
        // a smaller schedule breaks the same promise: a shrinker would have printed that instead
        assertThat(explore(kind, CheckThenAct.scenario(), Explorer.exhaustive(100)).counterexample().orElseThrow().preemptions()).isEqualTo(1);
    }
}
