package dev.lockstep.core;

import java.util.Optional;

/**
 * A call gave up after a bounded number of attempts, each of which lost to concurrent work on the
 * same run or key: either the database aborted the attempt's transaction (a deadlock or a
 * serialization failure with another writer; the last one's SQLSTATE is given), or another call
 * changed the run or its key between the attempt's statements. Every attempt's own writes were
 * rolled back; a refused begin under the pending-inclusive guard leaves its run cancelled.
 */
public final class ContentionException extends LockstepException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final long runId;
    private final String key;
    private final int attempts;
    private final String lastSqlState;

    /**
     * @param runId        the run, or 0 when the call had none yet (a begin)
     * @param key          the key, or null when the call never learned it
     * @param lastSqlState the SQLSTATE that aborted the last attempt, or null when the attempts lost
     *                     compare-and-swaps instead
     */
    public ContentionException(String operation, long runId, String key, int attempts, String lastSqlState) {
        super(operation + (runId == 0 ? "" : " of run " + runId) + (key == null ? "" : " on key '" + key + "'")
                + " gave up after " + attempts + " attempts: " + (lastSqlState == null
                        ? "the run or its key changed between the statements of every attempt"
                        : "the database aborted every attempt, the last with SQLSTATE " + lastSqlState
                                + " (a deadlock or serialization failure with another writer of these tables)")
                + ". Every attempt was rolled back (a pending-inclusive guard's begin leaves its run cancelled); retry later, "
                + "and check that every writer of these tables goes through lock-core.");
        this.operation = operation;
        this.runId = runId;
        this.key = key;
        this.attempts = attempts;
        this.lastSqlState = lastSqlState;
    }

    /** The call that gave up, e.g. {@code start}. */
    public String operation() {
        return operation;
    }

    /** The run, or 0 when the call had none (a begin under a strategy that creates its run in one commit). */
    public long runId() {
        return runId;
    }

    /** The key, if the call learned it. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    public int attempts() {
        return attempts;
    }

    /** The SQLSTATE that aborted the last attempt, if the database aborted it (40P01, 40001). */
    public Optional<String> lastSqlState() {
        return Optional.ofNullable(lastSqlState);
    }
}
