package dev.lockstep.core;

/**
 * The claim no longer holds the run: it was resumed or taken over since (its fence grew), or the
 * claim's key or owner does not match the run. The write was refused; the caller must stop working
 * on the run.
 */
public final class StaleFenceException extends LockstepException {

    private static final long serialVersionUID = 1L;

    private final Claim claim;
    private final long currentFence;

    public StaleFenceException(String operation, Claim claim, String runKey, String currentOwner, long currentFence) {
        super(operation + " of run " + claim.runId() + " refused: the claim (key '" + claim.key() + "', owner '"
                + claim.owner() + "', fence " + claim.fence() + ") no longer holds it; the run has key '" + runKey
                + "', owner '" + currentOwner + "', fence " + currentFence
                + ". Stop working on this run: another holder has it now.");
        this.claim = claim;
        this.currentFence = currentFence;
    }

    /** The refused claim. */
    public Claim claim() {
        return claim;
    }

    /** The run's fence now. */
    public long currentFence() {
        return currentFence;
    }
}
