package dev.lockstep.core;

/** No run has this id. */
public final class RunNotFoundException extends LockstepException {

    private static final long serialVersionUID = 1L;

    private final long runId;

    public RunNotFoundException(long runId) {
        super("run " + runId + " does not exist in the runs table; check the id, or whether the run was deleted.");
        this.runId = runId;
    }

    public long runId() {
        return runId;
    }
}
