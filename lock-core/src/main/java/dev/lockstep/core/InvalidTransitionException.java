package dev.lockstep.core;

import java.util.Set;

/** The run is not in a status the operation can move it from. Nothing was changed. */
public final class InvalidTransitionException extends LockstepException {

    private static final long serialVersionUID = 1L;

    private final long runId;
    private final String key;
    private final String operation;
    private final RunStatus status;

    public InvalidTransitionException(long runId, String key, String operation, RunStatus status, Set<RunStatus> allowedFrom, String hint) {
        super(operation + " of run " + runId + " on key '" + key + "' needs status " + describe(allowedFrom)
                + " but the run is " + status + "; nothing was changed. " + hint);
        this.runId = runId;
        this.key = key;
        this.operation = operation;
        this.status = status;
    }

    private static String describe(Set<RunStatus> statuses) {
        return statuses.size() == 1 ? statuses.iterator().next().toString() : "one of " + statuses;
    }

    public long runId() {
        return runId;
    }

    public String key() {
        return key;
    }

    /** The refused operation: start, heartbeat, pause, complete or fail. */
    public String operation() {
        return operation;
    }

    /** The status seen. */
    public RunStatus status() {
        return status;
    }
}
