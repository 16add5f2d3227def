package dev.lockstep.core.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How one database bounds a scope's lock waits by {@code lockTimeout} without weakening a timeout
 * the caller set on the connection (the smaller one wins), leaving the connection as it found it.
 * Each {@link Dialect} holds its own (PostgreSQL: {@code lock_timeout} set locally in front of a
 * statement; SQLite: the busy timeout; MariaDB: {@code SET STATEMENT} at the head of each statement); the scope calls it and never asks which database it is. None
 * costs a round trip or a statement of its own.
 */
abstract sealed class LockWaits permits PostgresDialect.LockTimeout, SqliteDialect.BusyTimeout, MariaDbDialect.StatementTimeouts {

    /** What one scope must do and undo; made when the scope opens. */
    abstract Bound open(Connection connection) throws SQLException;

    /** One scope's state. Not thread-safe, as the scope is not. */
    abstract static class Bound {
        /** What to send in front of the next statement, in the same round trip, or null. */
        Prepared.Prefix prefix(boolean inTransaction) {
            return null;
        }

        void transactionEnded() {}

        /** Puts back what was changed; called before the connection is closed. */
        void restore() throws SQLException {}
    }
}
