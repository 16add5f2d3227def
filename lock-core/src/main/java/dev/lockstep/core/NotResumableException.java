package dev.lockstep.core;

/** A resume found the run in a status it cannot resume from. */
public final class NotResumableException extends LockstepException {

    private static final long serialVersionUID = 1L;

    private final long runId;
    private final String key;
    private final RunStatus status;

    public NotResumableException(long runId, String key, RunStatus status, String why) {
        super("run " + runId + " on key '" + key + "' is " + status + " and cannot be resumed: " + why);
        this.runId = runId;
        this.key = key;
        this.status = status;
    }

    public long runId() {
        return runId;
    }

    public String key() {
        return key;
    }

    /** The status seen. */
    public RunStatus status() {
        return status;
    }
}
