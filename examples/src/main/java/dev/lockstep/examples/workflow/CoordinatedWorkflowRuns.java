package dev.lockstep.examples.workflow;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.InvalidTransitionException;
import dev.lockstep.core.NotResumableException;
import dev.lockstep.core.StaleFenceException;
import dev.lockstep.core.Strategy;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The same workflow runs kept by lock-core: the workflow is the run's key, so at most one run of a
 * workflow is running or paused, whatever the interleaving of starts, resumes, cancels and completes.
 *
 * <ol>
 *   <li>{@link #schedule} creates a pending run of the workflow;
 *   <li>{@link #start} and {@link #resume} are lock-core's guarded transitions (under the advisory-lock
 *       strategy: guard and update in one transaction holding the workflow's lock); each returns the claim
 *       the worker then holds, or nothing when another run of the workflow holds it, or another worker
 *       got there first;
 *   <li>{@link #cancel} and {@link #complete} are compare-and-swaps: a cancel that answers true left the
 *       run cancelled, and a complete by a worker whose run was cancelled or taken over is refused.
 * </ol>
 *
 * Precondition: the lock-core schema is installed ({@code Schema.install(dataSource, Strategy.ADVISORY_LOCK)}).
 */
final class CoordinatedWorkflowRuns {

    private final Coordinator runs;

    CoordinatedWorkflowRuns(DataSource dataSource) {
        this.runs = Coordinator.create(dataSource, Strategy.ADVISORY_LOCK);
    }

    /** Creates a pending run of {@code workflow} and returns its id. */
    long schedule(String workflow) {
        return runs.create(workflow, workflow).id();
    }

    /** Starts the pending run for {@code worker}; empty when another run of its workflow holds it (the run is then cancelled). */
    Optional<Claim> start(long runId, String worker) {
        try {
            return Optional.of(runs.start(runId, worker));
        } catch (AlreadyActiveException anotherRunHoldsTheWorkflow) {
            return Optional.empty();
        }
    }

    /** Resumes a failed or paused run for {@code worker}; empty when it is not resumable (e.g. someone resumed it first) or another run holds the workflow. */
    Optional<Claim> resume(long runId, String worker) {
        try {
            return Optional.of(runs.resume(runId, worker));
        } catch (NotResumableException | AlreadyActiveException refused) {
            return Optional.empty();
        }
    }

    /** Cancels the run; false when it had already finished, in which case it is left as it was. */
    boolean cancel(long runId) {
        return runs.cancel(runId).cancelled();
    }

    /** Completes the run the worker holds; false when it no longer holds it (cancelled, or taken over). */
    boolean complete(Claim claim) {
        try {
            runs.complete(claim);
            return true;
        } catch (InvalidTransitionException | StaleFenceException noLongerHeld) {
            return false;
        }
    }
}
