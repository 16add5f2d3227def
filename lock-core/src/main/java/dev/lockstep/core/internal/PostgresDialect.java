package dev.lockstep.core.internal;

import dev.lockstep.core.Database;
import dev.lockstep.core.TableNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.jooq.SQLDialect;

/**
 * PostgreSQL: row locks and transaction-scoped advisory locks per key, errors by SQLSTATE. The clock is
 * {@code clock_timestamp()}, not {@code now()}: a transaction that waited for a lock stamps when it
 * acted, not when it began.
 */
final class PostgresDialect extends Dialect {

    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String QUERY_CANCELED = "57014";

    /**
     * The catalog query finds the tables and the index through {@code to_regclass}, which takes a qualified
     * name: the renaming qualifies the tables, and here the index too (it lives in its table's schema).
     */
    @Override
    public String catalogQuery(String template, TableNames names) {
        String query = names.rename(template);
        String index = names.oneActiveRunPerKeyIndex();
        return query.replace("to_regclass('" + index + "')", "to_regclass('" + names.qualified(index) + "')");
    }

    @Override
    public Database database() {
        return Database.POSTGRESQL;
    }

    @Override
    SQLDialect jooq() {
        return SQLDialect.POSTGRES;
    }

    @Override
    public String nowMillis() {
        return "(extract(epoch from clock_timestamp()) * 1000)::bigint";
    }

    @Override
    LockWaits lockWaits(long lockTimeoutMillis) {
        return new LockTimeout(lockTimeoutMillis);
    }

    @Override
    void begin(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }

    @Override
    void end(Connection connection, boolean commit) throws SQLException {
        if (commit) {
            connection.commit();
        } else {
            connection.rollback();
        }
        connection.setAutoCommit(true);
    }

    @Override
    public boolean locksRowsOneByOne() {
        return true;
    }

    @Override
    public Optional<String> keyLock() {
        return Optional.of("select pg_advisory_xact_lock({0})::text");
    }

    @Override
    public Optional<String> tryKeyLock() {
        return Optional.of("select pg_try_advisory_xact_lock({0})");
    }

    @Override
    boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    @Override
    boolean isLockTimeout(SQLException e) {
        return LOCK_NOT_AVAILABLE.equals(e.getSQLState());
    }

    @Override
    boolean isCancelled(SQLException e) {
        return QUERY_CANCELED.equals(e.getSQLState());
    }

    @Override
    Optional<String> abortedForContention(SQLException e) {
        String state = e.getSQLState();
        return DEADLOCK_DETECTED.equals(state) || SERIALIZATION_FAILURE.equals(state) ? Optional.of(state) : Optional.empty();
    }

    /**
     * {@code lock_timeout} bounds row locks, unique-index waits, advisory and table locks alike. Each
     * autocommit statement, and the first statement of each transaction, is sent as
     * {@code select set_config('lock_timeout', <the smaller>, true); <statement>}: one round trip, which
     * PostgreSQL runs as one transaction, so the setting ends with it and there is nothing to restore.
     * The caller's {@code lock_timeout} is kept when it is set and not larger.
     */
    static final class LockTimeout extends LockWaits {
        private final Prepared.Prefix setLocally;

        LockTimeout(long lockTimeoutMillis) {
            // the caller's lock_timeout wins when it is set (not 0) and not larger than ours
            this.setLocally = new Prepared.Prefix("select set_config('lock_timeout', case when current_setting('lock_timeout') <> '0'"
                    + " and current_setting('lock_timeout')::interval <= interval '" + lockTimeoutMillis + " milliseconds'"
                    + " then current_setting('lock_timeout') else '" + lockTimeoutMillis + "ms' end, true)", true);
        }

        @Override
        Bound open(Connection connection) {
            return new Bound() {
                private boolean boundInTransaction;

                @Override
                Prepared.Prefix prefix(boolean inTransaction) {
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
}
