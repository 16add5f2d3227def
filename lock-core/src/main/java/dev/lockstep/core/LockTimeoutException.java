package dev.lockstep.core;

/**
 * The database did not grant a lock within the lock timeout: {@link Coordinator.Options#lockTimeout()},
 * or the connection's own smaller {@code lock_timeout} (PostgreSQL) or busy timeout (SQLite). The
 * statement that waited changed nothing and its transaction was rolled back.
 */
public final class LockTimeoutException extends TransientFailureException {

    private static final long serialVersionUID = 1L;

    public LockTimeoutException(String operation, long runId, String key, Throwable cause) {
        super(operation, runId, key, "gave up waiting for a database lock held by another transaction; the statement that"
                + " waited changed nothing. Retry, or raise Options.lockTimeout (a smaller lock_timeout or busy timeout set"
                + " on the connection wins over it).", cause);
    }
}
