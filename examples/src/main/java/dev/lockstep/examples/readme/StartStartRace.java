package dev.lockstep.examples.readme;

import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Strategy;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.junit.RaceAssertions;
import javax.sql.DataSource;

/** README, "Race harness": two starts raced on real connections. */
final class StartStartRace {

    private StartStartRace() {}

    static void snippet(DataSource dataSource, Strategy strategy) {
        Scenario startStart = Race.scenario("start-start")
            .setupSql("DELETE FROM lockstep_run")                           // before every schedule
            .actor("A", ds -> { Coordinator c = Coordinator.create(ds, strategy);
                                return c.start(c.create("repo", "build").id(), "A"); })
            .actor("B", ds -> { Coordinator c = Coordinator.create(ds, strategy);
                                return c.start(c.create("repo", "build").id(), "B"); })
            .invariant("at most one active run per key",                   // rows returned = violation
                "SELECT run_key FROM lockstep_run WHERE status IN ('running','paused') GROUP BY run_key HAVING count(*) > 1")
            .expect("at most one actor starts", outcomes -> outcomes.returned(Claim.class) <= 1)
            .build();

        RaceResult result = RaceHarness.on(dataSource).explore(startStart, Explorer.exhaustive(10_000));
        RaceAssertions.assertNoRace(result);   // JUnit 5: fails with the smallest counterexample, printed
    }
}
