package dev.lockstep.harness.scheduler;

import dev.lockstep.harness.trace.CallResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mariadb.jdbc.util.constants.ServerStatus;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConnection;

/**
 * What the scheduler needs to know about waits and deadlocks, per database: PostgreSQL is asked
 * ({@code pg_blocking_pids}) and ends deadlocks itself; MariaDB is asked (its InnoDB status and
 * process list) and ends deadlocks itself; SQLite tells (its busy handler runs on the waiting
 * actor's thread) and has no deadlock detector.
 */
abstract sealed class Blocking {

    /** Prepares a freshly opened connection of {@code slot}; returns its session id (PostgreSQL backend pid, MariaDB connection id), or 0. */
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

    /** Whether {@code failure} is the error the database gives the victim of a deadlock it ended. */
    boolean isDeadlockError(CallResult.Failed failure) {
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
     * Whether the connection's transaction failed, so that a commit now rolls it back without an error; only
     * PostgreSQL does that (MariaDB and SQLite end a failed transaction themselves, or keep what it did).
     */
    boolean transactionFailed(ActorSlot.Pooled connection) {
        return false;
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
        if (lower.contains("mariadb")) {
            return new MariaDb(observer);
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
        boolean isDeadlockError(CallResult.Failed failure) {
            return "40P01".equals(failure.sqlState());
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
        boolean transactionFailed(ActorSlot.Pooled connection) {
            try {
                return connection.raw.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED;
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
     * MariaDB (10.6+): waits are read from two live sources, InnoDB's own status and the process
     * list, on the observer connection; {@code KILL QUERY} cancels; InnoDB and the metadata-lock
     * subsystem end deadlocks themselves, at the moment the wait that closes the cycle begins.
     *
     * <p>For session {@code pid} (its {@code CONNECTION_ID()}), {@link #blockers} asks:
     * <ol>
     *   <li>{@code SHOW FULL PROCESSLIST}: a session not running a statement waits for nothing.
     *       State {@code User lock} ({@code GET_LOCK}): the blocker is {@code IS_USED_LOCK(name)}, the
     *       name read from the waiting statement's text; once the holder lets go the lock is the
     *       waiter's, so the answer is live even before the waiter's thread wakes. State
     *       {@code Waiting for ... lock} (a metadata lock, e.g. an ALTER behind an open transaction):
     *       the server does not say who holds it, so the blockers are the other actors' sessions whose
     *       transaction is open (the driver's server-status flag). <b>This is the one approximation.</b>
     *   <li>Any other running statement: {@code SHOW ENGINE INNODB STATUS}, whose
     *       {@code LOCK WAIT} marks a row or table lock wait. The one other session of the same
     *       database that holds row locks is the blocker. When there are several, InnoDB's lock-wait
     *       tables name it: they are a cache that refreshes only when no one has read it for 100 ms,
     *       so it is read at least 110 ms after the harness last read it, and an answer is taken only
     *       if it names the very lock the live status shows the session waiting for. A wait's
     *       blockers are kept until it ends.
     * </ol>
     * {@code INNODB_TRX} alone, polled as the scheduler polls (every 1 to 8 ms), never showed a new
     * wait within 1.5 s, and went on showing an ended one for as long (measured on 10.11).
     *
     * <p>Each actor session gets {@code innodb_lock_wait_timeout} and {@code lock_wait_timeout} a
     * few seconds above the step timeout, so a wait the harness does not end still ends. A run's end
     * rolls back, turns autocommit on and releases every {@code GET_LOCK} lock (they outlive COMMIT).
     * The deadlock victim fails with 1213 (SQLSTATE 40001, which other errors share too); InnoDB
     * picks the transaction that changed the fewest rows, not always the one whose wait closed the
     * cycle.
     *
     * <p>Cost per poll (10.11, loaded 2-CPU machine, median of 1,000, one row-lock wait open): about
     * 0.23 ms for a statement waiting for a row lock or not waiting (process list and InnoDB status),
     * 0.07 ms for a user-lock wait (process list and {@code IS_USED_LOCK}); a wait that several
     * sessions could be blocking costs one fresh read of the lock-wait tables, 110 ms, once.
     */
    static final class MariaDb extends Blocking {
        /** InnoDB's lock-wait tables refresh only after this long without a reader. */
        static final long CACHE_IDLE_NANOS = RunControl.millis(110);
        /** How many fresh reads of those tables may be tried for one wait before falling back to the candidates. */
        static final int CACHE_READS = 3;
        /** Added to the step timeout for the sessions' own lock wait timeouts, in seconds. */
        static final int TIMEOUT_MARGIN_SECONDS = 5;

        private static final Pattern USER_LOCK_NAME =
                Pattern.compile("(?is)\\bGET_LOCK\\s*\\(\\s*'((?:[^'\\\\]|\\\\.|'')*)'");

        private final Connection observer;
        private final PreparedStatement userLockHolder;
        private final PreparedStatement lockWaits;
        /** The actor sessions this runner opened, by connection id: whose transaction is open, for metadata-lock waits. */
        private final Map<Integer, org.mariadb.jdbc.Connection> actorSessions = new ConcurrentHashMap<>();
        /** The blockers found for a wait still going on, by waiting session: the wait's lock, and who holds it. */
        private final Map<Integer, Map.Entry<String, List<Integer>>> knownWaits = new HashMap<>();
        private long lastCacheRead = System.nanoTime() - CACHE_IDLE_NANOS;
        /** The harness's own session settings, the same for every actor connection of the runner. */
        private volatile String timeouts;

        MariaDb(Connection observer) throws SQLException {
            this.observer = observer;
            this.userLockHolder = observer.prepareStatement("SELECT IS_USED_LOCK(?)");
            this.lockWaits = observer.prepareStatement("SELECT w.requested_lock_id, b.trx_mysql_thread_id"
                    + " FROM information_schema.INNODB_LOCK_WAITS w"
                    + " JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id"
                    + " WHERE w.requesting_trx_id = ?");
        }

        @Override
        int prepare(Connection raw, ActorSlot slot, RunControl control) throws SQLException {
            int id;
            long seconds = control.timeout().toSeconds() + TIMEOUT_MARGIN_SECONDS;
            timeouts = "SET SESSION innodb_lock_wait_timeout = " + seconds + ", lock_wait_timeout = " + seconds;
            try (Statement s = raw.createStatement()) {
                s.execute(timeouts);
                try (ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                    rs.next();
                    id = rs.getInt(1);
                }
            }
            actorSessions.put(id, raw.unwrap(org.mariadb.jdbc.Connection.class));
            return id;
        }

        @Override
        boolean polled() {
            return true;
        }

        /** The actor's SQL may have changed the lock wait timeouts the harness set: set them again. */
        @Override
        void restoreSession(ActorSlot.Pooled connection) throws SQLException {
            if (connection.sessionSettingsChanged) {
                try (Statement s = connection.raw.createStatement()) {
                    s.execute(timeouts);
                }
                connection.sessionSettingsChanged = false;
            }
        }

        /** A session of the process list: its default database, command, state and statement. */
        private record Session(String database, String command, String state, String info) {}

        @Override
        List<Integer> blockers(int pid) throws SQLException {
            Map<Integer, Session> sessions = new HashMap<>();
            try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery("SHOW FULL PROCESSLIST")) {
                while (rs.next()) {
                    sessions.put(rs.getInt("Id"), new Session(rs.getString("db"), rs.getString("Command"), rs.getString("State"),
                            rs.getString("Info")));
                }
            }
            Session waiter = sessions.get(pid);
            if (waiter == null || !"Query".equals(waiter.command())) {
                knownWaits.remove(pid);
                return List.of();
            }
            String state = waiter.state() == null ? "" : waiter.state();
            if (state.equals("User lock")) {
                knownWaits.remove(pid);
                return userLockHolder(pid, waiter, sessions);
            }
            if (state.startsWith("Waiting for") && state.endsWith("lock")) {
                knownWaits.remove(pid);
                return openTransactions(pid);
            }
            return rowLockHolders(pid, waiter, sessions);
        }

        /** The session holding the user lock {@code waiter} asks for: none once it is let go (the lock is then the waiter's). */
        private List<Integer> userLockHolder(int pid, Session waiter, Map<Integer, Session> sessions) throws SQLException {
            Matcher name = USER_LOCK_NAME.matcher(waiter.info() == null ? "" : waiter.info());
            if (!name.find()) {
                return sameDatabase(pid, waiter, sessions); // a name computed in SQL: any session of the database may hold it
            }
            userLockHolder.setString(1, name.group(1).replace("''", "'").replaceAll("\\\\(.)", "$1"));
            try (ResultSet rs = userLockHolder.executeQuery()) {
                rs.next();
                int holder = rs.getInt(1);
                return rs.wasNull() || holder == pid ? List.of() : List.of(holder);
            }
        }

        /** The other actor sessions with a transaction open: the holders a metadata lock may wait for. */
        private List<Integer> openTransactions(int pid) {
            List<Integer> open = new ArrayList<>();
            actorSessions.forEach((id, connection) -> {
                if (id != pid && (connection.getContext().getServerStatus() & ServerStatus.IN_TRANSACTION) != 0) {
                    open.add(id);
                }
            });
            open.sort(null);
            return open;
        }

        private static List<Integer> sameDatabase(int pid, Session waiter, Map<Integer, Session> sessions) {
            List<Integer> same = new ArrayList<>();
            sessions.forEach((id, session) -> {
                if (id != pid && Objects.equals(session.database(), waiter.database())) {
                    same.add(id);
                }
            });
            same.sort(null);
            return same;
        }

        private List<Integer> rowLockHolders(int pid, Session waiter, Map<Integer, Session> sessions) throws SQLException {
            String status;
            try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery("SHOW ENGINE INNODB STATUS")) {
                rs.next();
                status = rs.getString("Status");
            }
            Map<Integer, InnodbStatus.Transaction> transactions = InnodbStatus.transactions(status);
            InnodbStatus.Transaction trx = transactions.get(pid);
            if (trx == null || !trx.waits()) {
                knownWaits.remove(pid);
                return List.of();
            }
            String wait = trx.trxId() + ":" + trx.waitedLock();
            Map.Entry<String, List<Integer>> known = knownWaits.get(pid);
            if (known != null && known.getKey().equals(wait)) {
                return known.getValue();
            }
            List<Integer> candidates = new ArrayList<>();
            transactions.forEach((id, other) -> {
                Session session = sessions.get(id);
                if (id != pid && other.rowLocks() > 0 && session != null && Objects.equals(session.database(), waiter.database())) {
                    candidates.add(id);
                }
            });
            candidates.sort(null);
            List<Integer> blockers = candidates.size() == 1 ? candidates : namedByLockWaits(trx);
            if (blockers == null) {
                blockers = candidates.isEmpty() ? sameDatabase(pid, waiter, sessions) : candidates;
            }
            knownWaits.put(pid, Map.entry(wait, blockers));
            return blockers;
        }

        /** The holders INNODB_LOCK_WAITS names for {@code trx}'s wait, read fresh; null if it never shows that wait. */
        private List<Integer> namedByLockWaits(InnodbStatus.Transaction trx) throws SQLException {
            for (int read = 0; read < CACHE_READS; read++) {
                long wait = lastCacheRead + CACHE_IDLE_NANOS - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // a read sooner would keep the cache as it was
                }
                List<Integer> holders = new ArrayList<>();
                lockWaits.setString(1, trx.trxId());
                try (ResultSet rs = lockWaits.executeQuery()) {
                    while (rs.next()) {
                        String lock = rs.getString(1);
                        if (trx.waitedLock().equals("table") || lock.equals(trx.trxId() + ":" + trx.waitedLock())) {
                            holders.add(rs.getInt(2));
                        }
                    }
                } finally {
                    lastCacheRead = System.nanoTime();
                }
                if (!holders.isEmpty()) {
                    holders.sort(null);
                    return holders;
                }
            }
            return null;
        }

        @Override
        void interrupt(ActorSlot slot) throws SQLException {
            if (slot.currentConnection != null) {
                try (Statement s = observer.createStatement()) {
                    s.execute("KILL QUERY " + slot.currentConnection.backendPid);
                }
            }
        }

        @Override
        boolean detectsDeadlocks() {
            return true;
        }

        @Override
        boolean isDeadlockError(CallResult.Failed failure) {
            return failure.vendorCode() == 1213; // ER_LOCK_DEADLOCK; SQLSTATE 40001 is shared
        }

        @Override
        boolean transactionOpen(ActorSlot.Pooled connection) {
            try {
                return transactionOpenOn(connection.raw);
            } catch (SQLException e) {
                return false;
            }
        }

        @Override
        void reset(Connection raw, boolean begunByStatement) throws SQLException {
            super.reset(raw, begunByStatement);
            try (Statement s = raw.createStatement()) {
                if (transactionOpenOn(raw)) {
                    s.execute("ROLLBACK"); // begun by a BEGIN statement, which leaves JDBC's autocommit flag true
                }
                s.execute("DO RELEASE_ALL_LOCKS()"); // GET_LOCK locks belong to the session and outlive COMMIT
            }
        }

        /** The driver keeps the server's status flags from every OK packet, a BEGIN statement's included: no round trip. */
        private static boolean transactionOpenOn(Connection raw) throws SQLException {
            return (raw.unwrap(org.mariadb.jdbc.Connection.class).getContext().getServerStatus() & ServerStatus.IN_TRANSACTION) != 0;
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
