package dev.lockstep.core.internal;

import dev.lockstep.core.Database;
import dev.lockstep.core.TableNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.jooq.SQLDialect;
import org.sqlite.SQLiteConnection;

/**
 * SQLite: one write lock for the whole database, taken up front by {@code BEGIN IMMEDIATE} so that a
 * transaction that reads before it writes can never fail to upgrade its lock half-way; errors by
 * result code (sqlite-jdbc reports no SQLSTATE). It has neither deadlocks nor serialization failures.
 * The clock is {@code julianday('now')}, which has millisecond precision on every SQLite version.
 */
final class SqliteDialect extends Dialect {

    private static final int BUSY = 5;
    private static final int LOCKED = 6;
    private static final int INTERRUPT = 9;
    private static final int CONSTRAINT = 19;
    private static final int CONSTRAINT_PRIMARYKEY = 1555;
    private static final int CONSTRAINT_UNIQUE = 2067;

    /** An SQLite connection's other schemas are attached database files, which lock-core does not manage. */
    @Override
    public void requireSupported(TableNames names) {
        if (names.schema() != null) {
            throw new IllegalArgumentException("SQLite has no schemas, so its tables cannot be put in schema '" + names.schema()
                    + "': leave the schema unset (a separate database file plays that part), or tell tables apart by their prefix");
        }
    }

    @Override
    public Database database() {
        return Database.SQLITE;
    }

    @Override
    SQLDialect jooq() {
        return SQLDialect.SQLITE;
    }

    @Override
    public String nowMillis() {
        return "cast((julianday('now') - 2440587.5) * 86400000 as integer)";
    }

    @Override
    LockWaits lockWaits(long lockTimeoutMillis) {
        return new BusyTimeout(lockTimeoutMillis);
    }

    @Override
    void begin(Connection connection) throws SQLException {
        execute(connection, "BEGIN IMMEDIATE");
    }

    @Override
    void end(Connection connection, boolean commit) throws SQLException {
        execute(connection, commit ? "COMMIT" : "ROLLBACK");
    }

    private static void execute(Connection connection, String statement) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }

    @Override
    public boolean locksRowsOneByOne() {
        return false;
    }

    @Override
    public Optional<String> keyLock() {
        return Optional.empty(); // BEGIN IMMEDIATE took the one write lock, every key's
    }

    @Override
    public Optional<String> tryKeyLock() {
        return Optional.empty();
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
        // sqlite-jdbc reports the primary code (19) or the extended one, depending on the call
        return e.getErrorCode() == CONSTRAINT_UNIQUE || e.getErrorCode() == CONSTRAINT_PRIMARYKEY
                || (e.getErrorCode() == CONSTRAINT && String.valueOf(e.getMessage()).contains("UNIQUE"));
    }

    @Override
    boolean isLockTimeout(SQLException e) {
        return (e.getErrorCode() & 0xff) == BUSY || (e.getErrorCode() & 0xff) == LOCKED;
    }

    @Override
    boolean isCancelled(SQLException e) {
        return (e.getErrorCode() & 0xff) == INTERRUPT;
    }

    @Override
    Optional<String> abortedForContention(SQLException e) {
        return Optional.empty();
    }

    /**
     * The busy timeout bounds every wait for the database's locks. It is read from sqlite-jdbc when the
     * scope opens ({@code SQLiteConnection.getBusyTimeout()}, as set by {@code SQLiteConfig}, the URL's
     * {@code busy_timeout} or {@code setBusyTimeout}), lowered only when larger than {@code lockTimeout},
     * and put back when the scope closes.
     */
    static final class BusyTimeout extends LockWaits {
        private final int lockTimeoutMillis;

        BusyTimeout(long lockTimeoutMillis) {
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
