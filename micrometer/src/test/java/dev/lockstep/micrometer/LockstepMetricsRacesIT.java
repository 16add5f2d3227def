package dev.lockstep.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Database;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import dev.lockstep.testsupport.LockstepScenarios;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two services of one process begin and complete the same key through one set of meters, in every
 * interleaving with at most two preemptions: the meters count exactly the claims and rejections the services
 * saw (one each when the begins overlap, two claims when they do not), a completed hold per claim, and no run
 * still held.
 */
class LockstepMetricsRacesIT {

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"RUNNING_AT_CREATION, SQLITE", "RUNNING_AT_CREATION, POSTGRESQL", "ADVISORY_LOCK, SQLITE", "ADVISORY_LOCK, POSTGRESQL"})
    void twoBeginCompletesAreMeteredAsTheServicesSawThem(Strategy strategy, DatabaseKind kind) {
        AtomicReference<MeterRegistry> registry = new AtomicReference<>();
        AtomicReference<LockstepMetrics> metrics = new AtomicReference<>();
        Coordinator.Options options = Coordinator.Options.of(strategy).withSchemaCheck(false);
        Scenario scenario = Race.scenario("begin-complete twice, metered (" + strategy.label() + ")")
                .setup(c -> {
                    registry.set(new SimpleMeterRegistry());
                    metrics.set(LockstepMetrics.on(registry.get()));
                    try (Statement s = c.createStatement()) {
                        for (String statement : LockstepScenarios.emptyTables(Database.of(c))) {
                            s.execute(statement);
                        }
                    }
                })
                .actor("A", ds -> beginAndComplete(ds, options, metrics.get(), "A"))
                .actor("B", ds -> beginAndComplete(ds, options, metrics.get(), "B"))
                .finalCheck("a claim per completion, a rejection per refusal, a completed hold per claim, nothing held",
                        (outcomes, observer) -> {
                            MeterRegistry meters = registry.get();
                            long completed = outcomes.returned("completed");
                            long refused = outcomes.returned("refused");
                            return completed + refused == 2
                                    && meters.get(LockstepMetrics.CLAIMS).tags("operation", "begin", "outcome", "claimed").counter().count() == completed
                                    && meters.get(LockstepMetrics.CLAIMS).tags("operation", "begin", "outcome", "rejected").counter().count() == refused
                                    && meters.get(LockstepMetrics.RUN).tags("name", "build", "outcome", "completed").timer().count() == completed
                                    && meters.get(LockstepMetrics.RUN_ACTIVE).tags("name", "build").longTaskTimer().activeTasks() == 0;
                        })
                .build();
        try (TestDatabase database = TestDatabases.shared().create(kind)) {
            Schema.install(database.dataSource(), strategy);
            RaceResult result = RaceHarness.on(database.dataSource()).explore(scenario, Explorer.exhaustive(20_000, 2));

            assertThat(result.failed()).as(result.report()).isFalse();
            assertThat(result.exploration().complete()).as("%s", result.exploration()).isTrue();
            assertThat(result.exploration().outcomes().keySet()).containsExactlyInAnyOrder("A=completed B=completed", "A=completed B=refused", "A=refused B=completed");
        }
    }

    private static String beginAndComplete(DataSource ds, Coordinator.Options options, LockstepMetrics metrics, String owner) {
        Coordinator runs = Coordinator.create(ds, options).withListener(metrics);
        Claim claim;
        try {
            claim = runs.begin("repo/a", "build", owner);
        } catch (AlreadyActiveException refused) {
            return "refused";
        }
        runs.complete(claim);
        return "completed";
    }
}
