package dev.lockstep.core;

/**
 * Another run holds the key, so this run was not started or resumed. A refusal is an answer, not a
 * fault: it is thrown where the caller called, and it carries no stack trace, whose recording would cost
 * more client CPU than the refusal's round trip (measured at 8 threads on one key, where nearly every
 * begin is refused); its message is written only when read. What the caller needs is here: the key,
 * the refused run, and the holder — its id, status and owner.
 */
public final class AlreadyActiveException extends LockstepException {

    private static final long serialVersionUID = 1L;

    private final long runId;
    private final String key;
    private final long holderId;
    private final RunStatus holderStatus;
    private final String holderOwner;
    private final boolean refusedRunCancelled;

    public AlreadyActiveException(long runId, String key, long holderId, RunStatus holderStatus, String holderOwner,
            boolean refusedRunCancelled) {
        super(null, false);
        this.runId = runId;
        this.key = key;
        this.holderId = holderId;
        this.holderStatus = holderStatus;
        this.holderOwner = holderOwner;
        this.refusedRunCancelled = refusedRunCancelled;
    }

    /**
     * Written when asked for, not when the refusal is made: a caller that only catches the refusal (a
     * scheduler skipping a busy key, many times a second) never pays for the text.
     */
    @Override
    public String getMessage() {
        return refused(runId, refusedRunCancelled) + ": key '" + key + "' is held by run " + holderId + " (" + holderStatus
                + (holderOwner == null ? "" : ", owner '" + holderOwner + "'") + "). "
                + "Wait for run " + holderId + " to finish, cancel it, or start with ConflictPolicy.CANCEL_EXISTING.";
    }

    private static String refused(long runId, boolean cancelled) {
        if (runId == 0) {
            return "no run was created";
        }
        return "run " + runId + " was not " + (cancelled ? "started and is now cancelled" : "resumed");
    }

    /**
     * The run that was refused, or 0 when a refused begin created none (every strategy but the
     * pending-inclusive guard, whose begin's run is refused and cancelled).
     */
    public long runId() {
        return runId;
    }

    public String key() {
        return key;
    }

    /** The run that holds the key. */
    public long holderId() {
        return holderId;
    }

    /** The holder's status when it was seen ({@code pending} only under the pending-inclusive guard). */
    public RunStatus holderStatus() {
        return holderStatus;
    }

    /** Who started the holder, or null if nobody has (a {@code pending} holder under the pending-inclusive guard). */
    public String holderOwner() {
        return holderOwner;
    }

    /** Whether the refused run was cancelled (a refused start) rather than left as it was (a refused resume). */
    public boolean refusedRunCancelled() {
        return refusedRunCancelled;
    }
}
