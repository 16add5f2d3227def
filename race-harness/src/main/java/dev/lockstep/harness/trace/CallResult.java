package dev.lockstep.harness.trace;

/**
 * What a call an actor made through JDBC came to, as the trace shows it: a statement, commit or
 * rollback ({@link TraceEvent.Step}, {@link TraceEvent.Completed}), or a change of a connection
 * setting ({@link TraceEvent.Setting}). Not the result of an isolationtester-style session step,
 * which is {@link dev.lockstep.dsl.Session.StepResult}.
 */
public sealed interface CallResult {

    /** A query; {@code rows} is how many rows the actor read from it (counted as it reads). */
    record Rows(int rows) implements CallResult {}

    /** An update, insert or delete, or a batch ({@code count} summed). */
    record Updated(int count) implements CallResult {}

    /** A commit, rollback, setting or statement with no result to show. */
    record Done() implements CallResult {}

    /** The database made the actor wait (a lock held by another actor); see the matching Completed event. */
    record Waiting() implements CallResult {}

    /**
     * The database or the driver refused it. {@code vendorCode}: the database's own error number
     * ({@link java.sql.SQLException#getErrorCode()}; 0 when there is none), which tells apart errors
     * that share a SQLSTATE, such as MariaDB's deadlock 1213 among the 40001s.
     */
    record Failed(String sqlState, int vendorCode, String message) implements CallResult {
        public Failed(String sqlState, String message) {
            this(sqlState, 0, message);
        }
    }
}
