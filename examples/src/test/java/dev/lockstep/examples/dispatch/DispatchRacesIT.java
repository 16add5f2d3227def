package dev.lockstep.examples.dispatch;

import static dev.lockstep.examples.Exhaustive.assertNoRaceAndOutcomes;
import static dev.lockstep.testdb.DatabaseKind.POSTGRESQL;
import static dev.lockstep.testdb.DatabaseKind.SQLITE;

import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.examples.TableRows;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.junit.RaceTest;
import java.util.ArrayList;
import java.util.List;

class DispatchRacesIT {

    static final Scenario CLAIM_CLAIM = Race.scenario("claim-claim")
            .setupSql("DELETE FROM dispatch_run", "INSERT INTO dispatch_run (id, status) VALUES (1, 'PENDING'), (2, 'PENDING')")
            .actor("A", ds -> new Dispatcher(ds).claimNext("A").map(Dispatch::runId).orElse(0L))
            .actor("B", ds -> new Dispatcher(ds).claimNext("B").map(Dispatch::runId).orElse(0L))
            .finalCheck("each dispatcher claims one run, a different one, and the table says so", (outcomes, observer) -> {
                long a = outcomes.of("A").value(Long.class);
                long b = outcomes.of("B").value(Long.class);
                List<String> expected = new ArrayList<>();
                for (long run = 1; run <= 2; run++) {
                    expected.add(run + " RUNNING " + (a == run ? "A" : b == run ? "B" : "nobody") + " 1");
                }
                return TableRows.of(observer, "SELECT id, status, executor, attempt FROM dispatch_run ORDER BY id").equals(expected);
            })
            .build();

    @RaceTest(databases = {SQLITE, POSTGRESQL}, setup = Dispatcher.TABLE)
    void twoDispatchersClaimTwoRunsOnceEach(RaceHarness harness) {
        assertNoRaceAndOutcomes(harness.explore(CLAIM_CLAIM, Explorer.exhaustive(1_000)), "A=1 B=2", "A=2 B=1");
    }
}
