package dev.lockstep.core;

/** The database did not grant a lock in time (PostgreSQL's lock_timeout, SQLite's busy timeout). Nothing was changed. */
public final class LockTimeoutException extends LockstepException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public LockTimeoutException(String operation, String key, Throwable cause) {
        super(operation + " on key '" + key + "' gave up waiting for a database lock; nothing was changed. "
                + "Retry, or raise the lock timeout (Options.lockTimeout on PostgreSQL, the busy timeout on SQLite).", cause);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
