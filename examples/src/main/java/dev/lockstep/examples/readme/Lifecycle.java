package dev.lockstep.examples.readme;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Run;
import dev.lockstep.core.Strategy;
import javax.sql.DataSource;

/** README, "What it guarantees": a run's lifecycle by hand. */
final class Lifecycle {

    private Lifecycle() {}

    static void snippet(DataSource dataSource) {
        Coordinator runs = Coordinator.create(dataSource, Strategy.ADVISORY_LOCK);
        Run run = runs.create("/srv/work/repo-1", "deploy");            // pending
        try {
            Claim claim = runs.start(run.id(), "executor-7");           // running, fence 1
            runs.heartbeat(claim);
            runs.complete(claim);
        } catch (AlreadyActiveException e) {
            // run was cancelled; e.holderId() / e.holderStatus() name the run that holds the key
        }
    }
}
