package dev.lockstep.harness.scheduler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConnection;

/**
 * What the scheduler needs to know about waits and deadlocks, per database: PostgreSQL is asked
 * ({@code pg_blocking_pids}) and ends deadlocks itself; SQLite tells (its busy handler runs on the
 * waiting actor's thread) and has no deadlock detector.
 */
abstract sealed class Blocking {

    /** Prepares a freshly opened connection of {@code slot}; returns its PostgreSQL backend pid, or 0. */
    abstract int prepare(Connection raw, ActorSlot slot, RunControl control) throws SQLException;

    /** Whether the database must be polled to learn that a running actor waits (else it tells). */
    boolean polled() {
        return false;
    }

    /** For a polled database: the sessions (backend pids) that session {@code pid} waits for; empty when it waits for none. */
    List<Integer> blockers(int pid) throws SQLException {
        return List.of();
    }

    /**
     * Makes blocked {@code slot} give up its wait with an error: the last resort for a deadlock the
     * database does not end, or to end a run. By default nothing is needed: RunControl sets
     * {@code giveUp}, which a busy handler obeys.
     */
    void interrupt(ActorSlot slot) throws SQLException {}

    /** Whether the database ends deadlocks itself, by failing one waiting statement (the victim). */
    boolean detectsDeadlocks() {
        return false;
    }

    /** Whether {@code sqlState} is the error the database gives the victim of a deadlock it ended. */
    boolean isDeadlockError(String sqlState) {
        return false;
    }

    /** How long, at most, the database may take to end a deadlock after the wait that closed it began. */
    Duration deadlockDetectionDelay() {
        return Duration.ZERO;
    }

    /**
     * How long after a wait released with {@code mayCloseCycle} began the database may still be
     * looking for a deadlock from it; another statement that might close a cycle waits that long.
     */
    Duration deadlockCheckWindow() {
        return Duration.ZERO;
    }

    /**
     * Called just before an actor's statement on {@code connection} is released. {@code mayCloseCycle}:
     * another actor waits, directly or not, for this one, so if this statement waits too it may close
     * a cycle of waits.
     */
    void beforeStep(ActorSlot.Pooled connection, boolean mayCloseCycle) throws SQLException {}

    /**
     * Whether {@code connection} is inside a transaction, asked on the actor's thread right after a
     * step, without a round trip. False when the database cannot tell: then every write counts as
     * visible to other sessions at once.
     */
    boolean transactionOpen(ActorSlot.Pooled connection) {
        try {
            return !connection.raw.getAutoCommit();
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Whether the database lets a lock go only when the transaction holding it ends (or its
     * connection is handed back), never during a statement that succeeds inside it: then such a step
     * cannot have let a blocked actor go.
     */
    boolean letsLocksGoOnlyAtTransactionEnd() {
        return false;
    }

    /**
     * Whether a prepared statement the actor closed is kept open for its next prepare of the same SQL
     * ({@link IdleStatements}): where preparing costs about as much as executing and the driver keeps
     * no cache of its own.
     */
    boolean keepsPreparedStatements() {
        return false;
    }

    /** Puts back the harness's own session settings that the actor's SQL changed during the run. */
    void restoreSession(ActorSlot.Pooled connection) throws SQLException {}

    /** Puts back the schema {@code raw} had when it was opened ({@code original}, as {@code getSchema} read it). */
    void restoreSchema(Connection raw, String original) throws SQLException {
        raw.setSchema(original);
    }

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
        String lower = product.toLowerCase(Locale.ROOT);
        if (lower.contains("postgres")) {
            return new Postgres(observer);
        }
        if (lower.contains("sqlite")) {
            return new Sqlite();
        }
        return new Undetected();
    }

    /**
     * PostgreSQL: {@code pg_blocking_pids} for waits, {@code pg_cancel_backend} as the last resort,
     * and its deadlock detector, steered so that the same schedule always ends a deadlock the same way.
     *
     * <p>PostgreSQL looks for a deadlock once per wait, {@code deadlock_timeout} after the wait began,
     * and fails the statement of the session that finds it. Which session that is depends on timing,
     * unless the timeouts are chosen; so, on every actor connection:
     * <ol>
     *   <li>the session's {@code deadlock_timeout} is {@link #PATIENT} (2 s) by default, longer than any
     *       run takes to close a cycle of waits;
     *   <li>just before a statement that may close a cycle (another actor already waits, directly or
     *       not, for this one) it is {@link #PROMPT} (1 ms);
     *   <li>so the session whose wait closes a cycle is the one that finds it, 1 ms later, and fails
     *       with 40P01; the others, still waiting with the long timeout, never look.
     * </ol>
     * The settings need a role that may set {@code deadlock_timeout} (a superuser, or on PostgreSQL
     * 15+ one granted {@code SET ON PARAMETER deadlock_timeout}); without it the server's value stays
     * and the session whose timeout expires first after the cycle closes is the victim.
     */
    static final class Postgres extends Blocking {
        static final int PROMPT = 1;
        static final int PATIENT = 2_000;
        /** Time for a session's deadlock check to have run once its timeout has passed, on a busy machine. */
        static final int CHECK_GRACE = 25;

        private final PreparedStatement blockers;
        private final PreparedStatement cancel;
        /** False once the role turned out not to be allowed to set deadlock_timeout. */
        private volatile boolean steersDeadlocks = true;

        Postgres(Connection observer) throws SQLException {
            this.blockers = observer.prepareStatement("SELECT pid FROM unnest(pg_blocking_pids(?)) AS b(pid)");
            this.cancel = observer.prepareStatement("SELECT pg_cancel_backend(?)");
        }

        @Override
        int prepare(Connection raw, ActorSlot slot, RunControl control) throws SQLException {
            int pid;
            try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            if (steersDeadlocks) {
                try (Statement s = raw.createStatement()) {
                    s.execute("SET deadlock_timeout = '" + PATIENT + "ms'");
                } catch (SQLException notAllowed) {
                    steersDeadlocks = false; // the server's deadlock_timeout applies
                }
            }
            return pid;
        }

        @Override
        boolean polled() {
            return true;
        }

        @Override
        List<Integer> blockers(int pid) throws SQLException {
            blockers.setInt(1, pid);
            List<Integer> pids = new ArrayList<>(2);
            try (ResultSet rs = blockers.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
            return pids;
        }

        @Override
        void interrupt(ActorSlot slot) throws SQLException {
            if (slot.currentConnection != null) {
                cancel.setInt(1, slot.currentConnection.backendPid);
                cancel.executeQuery().close();
            }
        }

        @Override
        boolean detectsDeadlocks() {
            return true;
        }

        @Override
        boolean isDeadlockError(String sqlState) {
            return "40P01".equals(sqlState);
        }

        @Override
        Duration deadlockDetectionDelay() {
            return Duration.ofMillis(PATIENT);
        }

        @Override
        Duration deadlockCheckWindow() {
            return steersDeadlocks ? Duration.ofMillis(PROMPT + CHECK_GRACE) : Duration.ZERO;
        }

        @Override
        void beforeStep(ActorSlot.Pooled connection, boolean mayCloseCycle) throws SQLException {
            if (!steersDeadlocks || connection.deadlockTimeoutOwnedByActor) {
                return;
            }
            TransactionState state = connection.raw.unwrap(BaseConnection.class).getTransactionState();
            if (state == TransactionState.FAILED) {
                return; // an aborted transaction takes no locks until it ends, and refuses SET
            }
            if (connection.deadlockTimeoutInTransaction && state == TransactionState.IDLE) {
                connection.deadlockTimeoutMillis = 0; // set inside a transaction that has ended: a rollback undid it
            }
            int wanted = mayCloseCycle ? PROMPT : PATIENT;
            if (connection.deadlockTimeoutMillis != wanted) {
                try (Statement s = connection.raw.createStatement()) {
                    s.execute("SET deadlock_timeout = '" + wanted + "ms'");
                }
                connection.deadlockTimeoutMillis = wanted;
                connection.deadlockTimeoutInTransaction = state != TransactionState.IDLE || !connection.raw.getAutoCommit();
            }
        }

        @Override
        boolean transactionOpen(ActorSlot.Pooled connection) {
            try {
                // pgjdbc tracks the server's transaction state (a BEGIN statement included) from every reply
                return connection.raw.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE;
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        void restoreSession(ActorSlot.Pooled connection) throws SQLException {
            if (connection.sessionSettingsChanged) {
                // back to the values the session started with (what the driver asked for at connect time)
                try (Statement s = connection.raw.createStatement()) {
                    s.execute("RESET ALL");
                }
                connection.sessionSettingsChanged = false;
                connection.deadlockTimeoutOwnedByActor = false;
                connection.deadlockTimeoutMillis = 0; // the next step sets it again
            }
            connection.deadlockTimeoutInTransaction = false;
        }

        /**
         * pgjdbc's {@code setSchema} sets {@code search_path} to that one schema, while {@code getSchema}
         * reads {@code current_schema()}, the first schema of the path that exists: putting that back
         * would shorten a path such as {@code "$user", public}. RESET gives the session its own default.
         */
        @Override
        void restoreSchema(Connection raw, String original) throws SQLException {
            try (Statement s = raw.createStatement()) {
                s.execute("RESET search_path");
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
    }

    /**
     * Installs a busy handler on each actor connection: instead of sleeping and retrying, a busy
     * actor reports itself blocked and waits until the scheduler lets it retry (after another actor's
     * step) or tells it to give up.
     */
    static final class Sqlite extends Blocking {
        /** sqlite-jdbc prepares every statement afresh, and SQLite's preparing was a third of an actor's time. */
        @Override
        boolean keepsPreparedStatements() {
            return true;
        }

        /** False once an actor connection turned out not to be in WAL mode, where readers hold locks writers wait for. */
        private volatile boolean wal = true;

        /**
         * In WAL mode a writer waits only for another writer, whose lock lasts until its transaction
         * ends; in the other journal modes it may also wait for a reader, whose cursor a close lets go.
         */
        @Override
        boolean letsLocksGoOnlyAtTransactionEnd() {
            return wal;
        }

        /** Autocommit off, or a BEGIN statement's transaction the wrapper knows to be open. */
        @Override
        boolean transactionOpen(ActorSlot.Pooled connection) {
            return super.transactionOpen(connection) || connection.inStatementTransaction;
        }

        @Override
        int prepare(Connection raw, ActorSlot slot, RunControl control) throws SQLException {
            try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                if (!rs.next() || !"wal".equalsIgnoreCase(rs.getString(1))) {
                    wal = false;
                }
            }
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
