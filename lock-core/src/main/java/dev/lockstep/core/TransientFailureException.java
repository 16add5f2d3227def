package dev.lockstep.core;

import dev.lockstep.core.internal.Failures;

/**
 * The database ended a statement before it finished, for a reason of the moment rather than of the
 * run: it waited too long for a lock ({@link LockTimeoutException}) or it was cancelled
 * ({@link StatementCancelledException}). The statement changed nothing and its transaction was rolled
 * back, so the call can be retried as it was.
 */
public abstract sealed class TransientFailureException extends LockstepException
        permits LockTimeoutException, StatementCancelledException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final long runId;
    private final String key;

    TransientFailureException(String operation, long runId, String key, String what, Throwable cause) {
        super(Failures.describe(operation, runId, key) + " " + what, cause);
        this.operation = operation;
        this.runId = runId;
        this.key = key;
    }

    /** The operation whose statement was ended, e.g. {@code start}. */
    public String operation() {
        return operation;
    }

    /** The run it concerned, or 0 when none was known yet (a begin before it created one, a claim-next). */
    public long runId() {
        return runId;
    }

    /** The key it concerned, or null when none was known yet (a claim-next before it found a run). */
    public String key() {
        return key;
    }
}
