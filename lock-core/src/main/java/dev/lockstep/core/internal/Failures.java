package dev.lockstep.core.internal;

import dev.lockstep.core.DatabaseException;
import dev.lockstep.core.LockTimeoutException;
import dev.lockstep.core.LockstepException;
import dev.lockstep.core.StatementCancelledException;
import java.sql.SQLException;
import java.util.Optional;
import org.jooq.exception.DataAccessException;

/** Reads what a database failure means: a lock wait that timed out, a cancelled statement, a unique violation, or anything else. */
public final class Failures {

    private Failures() {}

    /** What an operation concerned, for messages: {@code start of run 42 on key 'repo/a'}, leaving out what is not known. */
    public static String describe(String operation, long runId, String key) {
        return operation + (runId == 0 ? "" : " of run " + runId) + (key == null ? "" : " on key '" + key + "'");
    }

    /** The SQLException at the root of {@code failure}, if any (jOOQ wraps them). */
    public static Optional<SQLException> sqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sqlException) {
                return Optional.of(sqlException);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code failure} came from the database or its driver: an {@link SQLException} somewhere in
     * its causes, or jOOQ's {@link DataAccessException} (which also reports results it could not read).
     */
    public static boolean isDatabaseFailure(Throwable failure) {
        return failure instanceof DataAccessException || sqlCause(failure).isPresent();
    }

    public static boolean isUniqueViolation(Dialect dialect, Throwable failure) {
        return sqlCause(failure).map(dialect::isUniqueViolation).orElse(false);
    }

    /**
     * The SQLSTATE of a deadlock or serialization failure: the database aborted the whole transaction
     * (or autocommit statement) and rolled it back, so it may be made again. Empty for any other failure.
     */
    public static Optional<String> contention(Dialect dialect, Throwable failure) {
        return sqlCause(failure).flatMap(dialect::abortedForContention);
    }

    public static boolean isLockTimeout(Dialect dialect, Throwable failure) {
        return sqlCause(failure).map(dialect::isLockTimeout).orElse(false);
    }

    /**
     * Whether the database cancelled the statement: PostgreSQL's {@code statement_timeout} or a cancel
     * request (57014), SQLite's interrupt (a query timeout or {@code Statement.cancel}).
     */
    public static boolean isCancelled(Dialect dialect, Throwable failure) {
        return sqlCause(failure).map(dialect::isCancelled).orElse(false);
    }

    /**
     * The typed exception for a failure of {@code operation} on run {@code runId} (0 if none) and
     * {@code key} (null if not known): a lock wait that timed out, a statement the database cancelled,
     * or anything else as {@link DatabaseException}.
     */
    public static LockstepException translate(Dialect dialect, String operation, long runId, String key, Throwable failure) {
        if (failure instanceof LockstepException typed) {
            return typed;
        }
        if (isLockTimeout(dialect, failure)) {
            return new LockTimeoutException(operation, runId, key, failure);
        }
        if (isCancelled(dialect, failure)) {
            return new StatementCancelledException(operation, runId, key,
                    sqlCause(failure).map(SQLException::getSQLState).orElse(null), failure);
        }
        return new DatabaseException(describe(operation, runId, key) + " failed: " + failure.getMessage(),
                sqlCause(failure).map(SQLException::getSQLState).orElse(null), failure);
    }
}
