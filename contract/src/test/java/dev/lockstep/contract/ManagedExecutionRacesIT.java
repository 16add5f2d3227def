package dev.lockstep.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.CancelOutcome;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Exploration;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.scheduler.ScenarioRunner;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import dev.lockstep.testsupport.HeartbeatThreads;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ManagedExecutionRaces}, explored exhaustively for every strategy × database. */
class ManagedExecutionRacesIT {

    static Stream<Arguments> strategiesAndDatabases() {
        return Arrays.stream(Strategy.values())
                .flatMap(strategy -> Stream.of(DatabaseKind.SQLITE, DatabaseKind.POSTGRESQL).map(kind -> Arguments.of(strategy, kind)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("strategiesAndDatabases")
    void aManagedCompletionRacingACancel(Strategy strategy, DatabaseKind kind) throws Exception {
        try (TestDatabase database = TestDatabases.shared().create(kind)) {
            Schema.install(database.dataSource(), strategy);
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE lockstep_exec (run_id BIGINT NOT NULL, executor VARCHAR(20) NOT NULL)");
            }
            ManagedExecutionRaces races = new ManagedExecutionRaces(strategy);

            Scenario scenario = races.completionRacingCancel();
            Map<String, Integer> whenTheCancelCame = new TreeMap<>();
            Exploration all;
            try (ScenarioRunner runner = new ScenarioRunner(scenario, database.dataSource(), RaceHarness.DEFAULT_STEP_TIMEOUT)) {
                all = Explorer.exhaustive(RaceContract.CAP).keepGoing().explore(decider -> {
                    Execution run = runner.run(decider);
                    if (run.outcomes() != null && run.outcomes().of("B") instanceof Outcome.Returned r && r.value() instanceof CancelOutcome cancel) {
                        whenTheCancelCame.merge(cancel.cancelled() ? "cancelled " + cancel.statusSeen() : "too late: " + cancel.statusSeen(), 1, Integer::sum);
                    }
                    return run;
                });
            }
            System.out.println(all + "  [" + scenario.name() + " on " + database.description() + "] " + whenTheCancelCame);

            assertThat(all.failures()).as("failing schedules").isZero();
            assertThat(all.complete()).as("every schedule explored within the cap").isTrue();
            // every way the race can go was explored: before the claim, mid-work, after the completion
            assertThat(whenTheCancelCame.keySet()).containsExactly("cancelled pending", "cancelled running", "too late: completed");
            assertThat(whenTheCancelCame.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(all.runs());
            assertThat(HeartbeatThreads.alive()).isEmpty();
        }
    }
}
