package dev.lockstep.core.internal;

import dev.lockstep.core.Database;
import dev.lockstep.core.Strategy;
import dev.lockstep.core.TableNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.SQLDialect;

/**
 * MariaDB (10.6 and later, InnoDB): row locks one by one, errors by vendor code. What differs from
 * PostgreSQL, and why:
 * <ul>
 *   <li>InnoDB cannot index a 1024-character utf8mb4 key whole, so every unique or lock structure takes
 *       the key's SHA-256 ({@link #hashesKeys}): the running-at-creation index is on a generated hash
 *       that is non-null only while a run is active, the lease row and the key-lock row are keyed by
 *       a hash lock-core computes ({@link KeyHashes}); keys are stored {@code utf8mb4_nopad_bin}, so
 *       {@code K1}, {@code k1} and {@code k1 } are three keys;
 *   <li>the advisory lock is the row lock on {@code lockstep_key_lock}, taken {@code FOR UPDATE}
 *       and released by the transaction's end, never {@code GET_LOCK}, which outlives the transaction;
 *   <li>lock-core's transactions run at READ COMMITTED ({@code SET TRANSACTION}, which sets the next
 *       transaction only, so there is nothing to restore): no gap locks, and every read sees what was
 *       committed before it, as the strategies are written for;
 *   <li>the clock is the statement's execution time, not its start ({@code NOW()} is the start, which
 *       a statement that waited for a lock would stamp), in UTC whatever the session's time zone.
 * </ul>
 */
final class MariaDbDialect extends Dialect {

    private static final int DUPLICATE_ENTRY = 1062;
    private static final int DUPLICATE_ENTRY_WITH_KEY_NAME = 1586;
    private static final int LOCK_WAIT_TIMEOUT = 1205;
    private static final int DEADLOCK = 1213;
    private static final int QUERY_INTERRUPTED = 1317;
    private static final int STATEMENT_TIMEOUT = 1969;
    /** MySQL 8's {@code NOWAIT} refusal, and its {@code max_execution_time}: the same meanings, other codes. */
    private static final int MYSQL_LOCK_NOWAIT = 3572;
    private static final int MYSQL_QUERY_TIMEOUT = 3024;
    private static final String QUERY_INTERRUPTED_STATE = "70100";

    @Override
    public Database database() {
        return Database.MARIADB;
    }

    @Override
    SQLDialect jooq() {
        return SQLDialect.MARIADB;
    }

    /**
     * UTC now at the statement's start, plus how long the statement has run ({@code SYSDATE} minus
     * {@code NOW}, both in the session's zone, so the zone cancels out): the execution time in epoch
     * milliseconds, whatever the session's {@code time_zone}. Only a daylight-saving change during one
     * statement's lock wait would shift it.
     */
    @Override
    public String nowMillis() {
        return "((timestampdiff(microsecond, '1970-01-01 00:00:00', utc_timestamp(6))"
                + " + timestampdiff(microsecond, now(6), sysdate(6))) div 1000)";
    }

    @Override
    LockWaits lockWaits(long lockTimeoutMillis) {
        return new StatementTimeouts(lockTimeoutMillis);
    }

    /** The next transaction at READ COMMITTED, then begun; the connection stays in autocommit mode throughout. */
    @Override
    void begin(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
            s.execute("START TRANSACTION");
        }
    }

    @Override
    void end(Connection connection, boolean commit) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(commit ? "COMMIT" : "ROLLBACK");
        }
    }

    @Override
    public boolean locksRowsOneByOne() {
        return true;
    }

    @Override
    public Optional<String> keyLock() {
        return Optional.of("select lock_hash from {1} where lock_hash = {0} for update");
    }

    @Override
    public Optional<String> tryKeyLock() {
        return Optional.of("select true from {1} where lock_hash = {0} for update skip locked");
    }

    /**
     * Inserts the key's lock row if no committed one is seen (at READ COMMITTED the {@code NOT EXISTS} is
     * a consistent read and locks nothing); the insert locks the new row until the transaction ends. If
     * another transaction is inserting the same row, the duplicate waits for it and then takes the row's
     * exclusive lock ({@code ON DUPLICATE KEY UPDATE}; {@code INSERT IGNORE} would take a shared one,
     * and two of those upgrading to exclusive deadlock), so the update count, found rows, is 1 either way.
     */
    @Override
    public Optional<String> createKeyLock() {
        return Optional.of("insert into {1} (lock_hash) select {0} from dual"
                + " where not exists (select 1 from {1} where lock_hash = {0})"
                + " on duplicate key update lock_hash = lock_hash");
    }

    @Override
    public boolean hashesKeys() {
        return true;
    }

    @Override
    public boolean namesLockedTables() {
        return false; // MariaDB refuses FOR UPDATE OF
    }

    /**
     * InnoDB checks a duplicate under a shared lock on the entry it collides with, kept to the end of
     * the inserting transaction. With refused inserts of one held key always in flight, the holder's
     * release (which removes the entry) and the next inserts deadlock: measured at 8 threads on one key
     * under running-at-creation, 38 to 189 begins in 2 s gave up after every retry ended in 1213.
     */
    @Override
    public boolean refusedInsertsLock() {
        return true;
    }

    @Override
    public boolean returnsFromUpdate() {
        return false; // RETURNING is INSERT's and DELETE's only
    }

    /** MariaDB has no schema within a database: the catalog query's {@code DATABASE()} becomes the names' database. */
    @Override
    public String catalogQuery(String template, TableNames names) {
        String query = names.inSchema(null).rename(template);
        return names.schema() == null ? query : query.replace("DATABASE()", "'" + names.schema() + "'");
    }

    @Override
    public Map<String, List<String>> ownColumns(Strategy strategy) {
        return switch (strategy) {
            case ADVISORY_LOCK -> Map.of("lockstep_key_lock", List.of("lock_hash"));
            case ON_CONFLICT_LEASE -> Map.of("lockstep_lease", List.of("lease_hash"));
            default -> Map.of();
        };
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
        return e.getErrorCode() == DUPLICATE_ENTRY || e.getErrorCode() == DUPLICATE_ENTRY_WITH_KEY_NAME;
    }

    @Override
    boolean isLockTimeout(SQLException e) {
        return e.getErrorCode() == LOCK_WAIT_TIMEOUT || e.getErrorCode() == MYSQL_LOCK_NOWAIT;
    }

    @Override
    boolean isCancelled(SQLException e) {
        return e.getErrorCode() == QUERY_INTERRUPTED || e.getErrorCode() == STATEMENT_TIMEOUT
                || e.getErrorCode() == MYSQL_QUERY_TIMEOUT || QUERY_INTERRUPTED_STATE.equals(e.getSQLState());
    }

    /** A deadlock rolls the whole transaction back (a lock wait timeout only the statement: that is no abort). */
    @Override
    Optional<String> abortedForContention(SQLException e) {
        return e.getErrorCode() == DEADLOCK ? Optional.of(e.getSQLState() != null ? e.getSQLState() : "40001") : Optional.empty();
    }

    /**
     * Every statement begins {@code SET STATEMENT innodb_lock_wait_timeout = LEAST(<session's>, s),
     * lock_wait_timeout = LEAST(<session's>, s) FOR}: row locks (and unique-index waits) and metadata
     * locks wait at most {@code s}, the lock timeout rounded up to whole seconds (InnoDB's unit, so a
     * wait may last up to a second longer than asked). The setting ends with the statement, so nothing
     * is left to restore, and a smaller timeout the caller set on the session is kept. It costs no
     * statement of its own.
     */
    static final class StatementTimeouts extends LockWaits {
        private final Prepared.Prefix prefix;

        StatementTimeouts(long lockTimeoutMillis) {
            long seconds = Math.max(1, (lockTimeoutMillis + 999) / 1000);
            this.prefix = new Prepared.Prefix("SET STATEMENT innodb_lock_wait_timeout = LEAST(@@innodb_lock_wait_timeout, "
                    + seconds + "), lock_wait_timeout = LEAST(@@lock_wait_timeout, " + seconds + ") FOR ", false);
        }

        @Override
        Bound open(Connection connection) {
            return new Bound() {
                @Override
                Prepared.Prefix prefix(boolean inTransaction) {
                    return prefix;
                }
            };
        }
    }
}
