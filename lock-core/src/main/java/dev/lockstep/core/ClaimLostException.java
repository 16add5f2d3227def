package dev.lockstep.core;

import java.util.Objects;

/**
 * A managed execution no longer holds its run: a heartbeat was refused (another actor cancelled the
 * run, or took it over and its fence grew), or heartbeats kept failing until the run could be stale
 * by now. Nothing was completed or failed on the work's behalf; the run belongs to whoever holds it
 * now, or, when nobody took it over, it stays {@code running} until it is stale and {@link
 * Coordinator#resume} takes it over.
 */
public final class ClaimLostException extends LockstepException {

    private static final long serialVersionUID = 1L;

    private final Claim claim;

    /**
     * @param claim the claim that no longer holds the run
     * @param why   what showed it, e.g. "a heartbeat was refused"
     * @param cause the refusal or the last failure, if any
     */
    public ClaimLostException(Claim claim, String why, Throwable cause) {
        super("run " + Objects.requireNonNull(claim, "claim").runId() + " on key '" + claim.key() + "' is no longer held by owner '"
                + claim.owner() + "' (fence " + claim.fence() + "): " + why
                + ". Stop working on it; its writes are refused, and whoever holds it now finishes it.", cause);
        this.claim = claim;
    }

    /** The claim that was lost. */
    public Claim claim() {
        return claim;
    }
}
