package dev.lockstep.examples.readme;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.NotResumableException;
import dev.lockstep.core.Run;

/** README, "Lifecycle": a sweeper taking over the orphans of dead executors. */
final class StaleRuns {

    private StaleRuns() {}

    private static void finish(Run orphan, Claim taken) {}

    static void snippet(Coordinator runs) {
        for (Run orphan : runs.staleRuns(100)) {
            try {
                Claim taken = runs.resume(orphan.id(), "sweeper-1");  // fence grows: the dead holder's claim is refused
                finish(orphan, taken);                                 // your work, then runs.complete(taken)
            } catch (NotResumableException | AlreadyActiveException e) {
                // someone else got there first
            }
        }
    }
}
