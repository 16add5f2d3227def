package dev.lockstep.core;

/** The database failed in a way lock-core does not interpret (connection lost, missing table, ...). */
public final class DatabaseException extends LockstepException {

    private static final long serialVersionUID = 1L;

    private final String sqlState;

    public DatabaseException(String message, String sqlState, Throwable cause) {
        super(message + (sqlState == null ? "" : " (SQLSTATE " + sqlState + ")"), cause);
        this.sqlState = sqlState;
    }

    /** The SQLSTATE the driver reported, if any. */
    public String sqlState() {
        return sqlState;
    }
}
