package dev.lockstep.core;

/**
 * The database cancelled a statement before it finished: PostgreSQL's {@code statement_timeout} or a
 * cancel request ({@code pg_cancel_backend}, {@code Statement.cancel}, a JDBC query timeout; SQLSTATE
 * 57014), or SQLite's interrupt. lock-core never sets a statement timeout: it is the caller's, and
 * lock-core leaves it as it is. The statement changed nothing and its transaction was rolled back.
 */
public final class StatementCancelledException extends TransientFailureException {

    private static final long serialVersionUID = 1L;

    private final String sqlState;

    public StatementCancelledException(String operation, long runId, String key, String sqlState, Throwable cause) {
        super(operation, runId, key, "was cancelled by the database (statement_timeout, a query timeout or a cancel request"
                + (sqlState == null ? "" : "; SQLSTATE " + sqlState) + "); the statement changed nothing. Retry, or give"
                + " the connection a longer statement_timeout.", cause);
        this.sqlState = sqlState;
    }

    /** The SQLSTATE the driver reported (57014 on PostgreSQL), or null (SQLite). */
    public String sqlState() {
        return sqlState;
    }
}
