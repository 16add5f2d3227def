package dev.lockstep.core.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConnection;

/**
 * How one database bounds a session's lock waits by {@code lockTimeout} without weakening a timeout
 * the caller set on the connection (the smaller one wins), leaving the connection as it found it.
 * One implementation per database, chosen by its {@link Dialect}; the session calls it and never asks which database it is. Neither
 * costs a round trip or a statement of its own.
 *
 * <ul>
 *   <li>PostgreSQL: {@code lock_timeout} bounds row locks, unique-index waits, advisory and table locks
 *       alike. Each autocommit statement, and the first statement of each transaction, is sent as
 *       {@code select set_config('lock_timeout', <the smaller>, true); <statement>}: one round trip,
 *       which PostgreSQL runs as one transaction, so the setting ends with it and there is nothing to
 *       restore. The caller's {@code lock_timeout} is kept when it is set and not larger.
 *   <li>SQLite: the busy timeout bounds every wait for the database's locks. It is read from
 *       sqlite-jdbc when the session opens ({@code SQLiteConnection.getBusyTimeout()}, as set by
 *       {@code SQLiteConfig}, the URL's {@code busy_timeout} or {@code setBusyTimeout}), lowered only
 *       when larger than {@code lockTimeout}, and put back when the session closes.
 * </ul>
 */
abstract sealed class LockWaits {

    /** What one session must do and undo; made when the session opens. */
    abstract Bound open(Connection connection) throws SQLException;

    /** One session's state. Not thread-safe, as the session is not. */
    abstract static class Bound {
        /** A statement to send before the next one, in the same round trip, or null. */
        String prefix(boolean inTransaction) {
            return null;
        }

        void transactionEnded() {}

        /** Puts back what was changed; called before the connection is closed. */
        void restore() throws SQLException {}
    }

    static final class Postgres extends LockWaits {
        private final String setLocally;

        Postgres(long lockTimeoutMillis) {
            // the caller's lock_timeout wins when it is set (not 0) and not larger than ours
            this.setLocally = "select set_config('lock_timeout', case when current_setting('lock_timeout') <> '0'"
                    + " and current_setting('lock_timeout')::interval <= interval '" + lockTimeoutMillis + " milliseconds'"
                    + " then current_setting('lock_timeout') else '" + lockTimeoutMillis + "ms' end, true)";
        }

        @Override
        Bound open(Connection connection) {
            return new Bound() {
                private boolean boundInTransaction;

                @Override
                String prefix(boolean inTransaction) {
                    if (boundInTransaction) {
                        return null;
                    }
                    boundInTransaction = inTransaction;
                    return setLocally;
                }

                @Override
                void transactionEnded() {
                    boundInTransaction = false;
                }
            };
        }
    }

    static final class Sqlite extends LockWaits {
        private final int lockTimeoutMillis;

        Sqlite(long lockTimeoutMillis) {
            this.lockTimeoutMillis = (int) Math.min(lockTimeoutMillis, Integer.MAX_VALUE);
        }

        @Override
        Bound open(Connection connection) throws SQLException {
            SQLiteConnection sqlite = connection.unwrap(SQLiteConnection.class);
            int before = sqlite.getBusyTimeout();
            // 0 fails at once, or stands for a busy handler of the caller's own: both are kept
            if (before <= lockTimeoutMillis) {
                return new Bound() {};
            }
            sqlite.setBusyTimeout(lockTimeoutMillis);
            return new Bound() {
                @Override
                void restore() throws SQLException {
                    sqlite.setBusyTimeout(before);
                }
            };
        }
    }
}
