package dev.lockstep.harness.scheduler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConnection;

/**
 * Detects that the database made an actor wait, per database: PostgreSQL is asked
 * ({@code pg_blocking_pids}); SQLite tells (its busy handler runs on the waiting actor's thread).
 */
abstract sealed class Blocking {

    /** Prepares a freshly opened connection of {@code slot}; returns its PostgreSQL backend pid, or 0. */
    abstract int prepare(Connection raw, ActorSlot slot, RunControl control) throws SQLException;

    /** Whether the database must be polled to learn that a running actor is blocked (else it tells). */
    boolean polled() {
        return false;
    }

    /** Whether {@code slot}'s statement in flight is waiting for a lock (polled databases only). */
    boolean isBlocked(ActorSlot slot) throws SQLException {
        return false;
    }

    /**
     * Makes blocked {@code slot} give up its wait with an error (breaking a deadlock, or ending a run).
     * By default nothing is needed: RunControl sets {@code giveUp}, which a busy handler obeys.
     */
    void interrupt(ActorSlot slot) throws SQLException {}

    /**
     * Ends whatever transaction {@code raw} has open and leaves it in autocommit, ready for the next
     * run. {@code begunByStatement}: a BEGIN statement ran, which JDBC's autocommit flag does not show.
     */
    void reset(Connection raw, boolean begunByStatement) throws SQLException {
        if (!raw.getAutoCommit()) {
            raw.rollback();
            raw.setAutoCommit(true);
        }
    }

    static Blocking forProduct(String product, Connection observer) throws SQLException {
        String lower = product.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("postgres")) {
            return new Postgres(observer);
        }
        if (lower.contains("sqlite")) {
            return new Sqlite();
        }
        return new Undetected();
    }

    /** Polls {@code pg_blocking_pids} for the backend pid taken once per connection. */
    static final class Postgres extends Blocking {
        private final PreparedStatement blockers;
        private final PreparedStatement cancel;

        Postgres(Connection observer) throws SQLException {
            this.blockers = observer.prepareStatement("SELECT cardinality(pg_blocking_pids(?))");
            this.cancel = observer.prepareStatement("SELECT pg_cancel_backend(?)");
        }

        @Override
        int prepare(Connection raw, ActorSlot slot, RunControl control) throws SQLException {
            try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return rs.getInt(1);
            }
        }

        @Override
        boolean polled() {
            return true;
        }

        @Override
        boolean isBlocked(ActorSlot slot) throws SQLException {
            ActorSlot.Pooled connection = slot.currentConnection;
            if (connection == null) {
                return false;
            }
            blockers.setInt(1, connection.backendPid);
            try (ResultSet rs = blockers.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }

        @Override
        void reset(Connection raw, boolean begunByStatement) throws SQLException {
            super.reset(raw, begunByStatement);
            // a transaction begun with a BEGIN statement leaves JDBC's autocommit flag true; pgjdbc
            // tracks the server's transaction state, so asking costs no round trip
            if (raw.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
                try (Statement s = raw.createStatement()) {
                    s.execute("ROLLBACK");
                }
            }
        }

        @Override
        void interrupt(ActorSlot slot) throws SQLException {
            if (slot.currentConnection != null) {
                cancel.setInt(1, slot.currentConnection.backendPid);
                cancel.executeQuery().close();
            }
        }
    }

    /**
     * Installs a busy handler on each actor connection: instead of sleeping and retrying, a busy
     * actor reports itself blocked and waits until the scheduler lets it retry (after another actor's
     * step) or tells it to give up.
     */
    static final class Sqlite extends Blocking {
        @Override
        int prepare(Connection raw, ActorSlot slot, RunControl control) throws SQLException {
            BusyHandler.setHandler(raw.unwrap(SQLiteConnection.class), new BusyHandler() {
                @Override
                protected int callback(int previousCalls) {
                    return control.busy(slot) ? 1 : 0;
                }
            });
            return 0;
        }

        @Override
        void reset(Connection raw, boolean begunByStatement) throws SQLException {
            super.reset(raw, begunByStatement);
            if (!begunByStatement) {
                return;
            }
            // sqlite-jdbc cannot tell whether that transaction is still open, and offers no way to
            // ask SQLite; a ROLLBACK with none open fails harmlessly
            try (Statement s = raw.createStatement()) {
                s.execute("ROLLBACK");
            } catch (SQLException noTransaction) {
                // nothing was open
            }
        }
    }

    /** A database whose waits the harness cannot see yet: blocked actors show up as step timeouts. */
    static final class Undetected extends Blocking {
        @Override
        int prepare(Connection raw, ActorSlot slot, RunControl control) {
            return 0;
        }
    }
}
