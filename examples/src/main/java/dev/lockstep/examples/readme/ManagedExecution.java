package dev.lockstep.examples.readme;

import dev.lockstep.core.Claim;
import dev.lockstep.core.ClaimLostException;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.ExecutionResult;
import dev.lockstep.core.HeldRun;
import dev.lockstep.core.Strategy;
import java.util.List;
import javax.sql.DataSource;

/** README, "Managed execution". {@link ClaimLostException} is named in the snippet's imports and comment. */
final class ManagedExecution {

    /** One step of a deployment plan, writing its effects fenced by the claim. */
    record Step(String name) {
        void apply(long fence) {}
    }

    record Report(int steps) {}

    private final List<Step> plan = List.of(new Step("fetch"), new Step("build"));

    private static Report report(List<Step> plan) {
        return new Report(plan.size());
    }

    private static void work(Claim claim) {}

    void snippet(DataSource dataSource) {
        Coordinator runs = Coordinator.create(dataSource, Strategy.RUNNING_AT_CREATION);

        // begin "/srv/work/repo-1"; AlreadyActiveException (and the work never runs) if another run holds it
        Report report = runs.execute("/srv/work/repo-1", "deploy", "executor-7", (HeldRun run) -> {
            for (Step step : plan) {
                run.ensureHeld();               // ClaimLostException once the run was cancelled or taken over
                step.apply(run.claim().fence()); // fence your own writes with the claim where you can
            }
            return report(plan);
        });                                      // the run is now completed

        // several executors draining a queue of pending runs
        ExecutionResult<Void> next = runs.executeNextPending("executor-7", run -> { work(run.claim()); return null; });
        if (next instanceof ExecutionResult.NothingPending<Void>) { /* nothing could start now */ }
    }
}
