package dev.lockstep.core.internal;

import dev.lockstep.core.Database;
import dev.lockstep.core.Strategy;
import dev.lockstep.core.TableNames;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.SQLDialect;

/**
 * Everything lock-core does differently per database, in one object per database, chosen once per
 * coordinator ({@link #of}): the clock, how a transaction begins and ends, how lock waits are bounded,
 * what the database's errors mean, and which locks it has. Strategies and the runs table ask a dialect
 * what the database can do, never which database it is; adding a database is one subclass, one DDL
 * folder and its fixtures.
 */
public abstract sealed class Dialect permits PostgresDialect, SqliteDialect, MariaDbDialect {

    private static final Dialect POSTGRES = new PostgresDialect();
    private static final Dialect SQLITE = new SqliteDialect();
    private static final Dialect MARIADB = new MariaDbDialect();

    /** The dialect of {@code database}. */
    public static Dialect of(Database database) {
        return switch (database) {
            case POSTGRESQL -> POSTGRES;
            case SQLITE -> SQLITE;
            case MARIADB -> MARIADB;
        };
    }

    public abstract Database database();

    /** Refuses table names this database cannot honour, before anything is sent (SQLite: any schema). */
    public void requireSupported(TableNames names) {}

    /**
     * The schema check's catalog query (a {@code check.sql}, written with the default names) for the tables
     * {@code names} gives: by default each name renamed, tables qualified by the schema if there is one.
     */
    public String catalogQuery(String template, TableNames names) {
        return names.rename(template);
    }

    /** The dialect jOOQ renders in. */
    abstract SQLDialect jooq();

    /** The database clock now, in epoch milliseconds, as a SQL expression (see {@link DatabaseClock}). */
    public abstract String nowMillis();

    /** How a scope bounds its lock waits by {@code lockTimeoutMillis}. */
    abstract LockWaits lockWaits(long lockTimeoutMillis);

    /** Begins a transaction on a connection in autocommit mode, taking whatever lock the dialect takes up front. */
    abstract void begin(Connection connection) throws SQLException;

    /** Commits or rolls back the transaction {@link #begin} began, leaving the connection in autocommit mode. */
    abstract void end(Connection connection, boolean commit) throws SQLException;

    /**
     * Whether the database locks rows (and keys) one by one, so that a reader can skip rows others have
     * locked ({@code FOR UPDATE SKIP LOCKED}) and take a key's lock without waiting. False where a write
     * transaction takes the database's one write lock up front, which is every key's at once: there,
     * waiting is never for a key, and a claim-next that has begun its transaction can wait for nothing.
     */
    public abstract boolean locksRowsOneByOne();

    /**
     * The statement that takes the transaction-scoped lock of one key, waiting for it, as a jOOQ plain-SQL
     * template whose {@code {0}} is the lock id (and {@code {1}}, if it locks a row, the key-lock table); empty where the transaction's own write lock already
     * excludes every other writer.
     */
    public abstract Optional<String> keyLock();

    /**
     * As {@link #keyLock}, without waiting: a statement returning one boolean, true when it got the lock
     * (where the lock is a row, {@link #createKeyLock}: no row when the row is missing or locked).
     */
    public abstract Optional<String> tryKeyLock();

    /**
     * Where a key's lock is a row that must exist before it can be locked: the statement (a template like
     * {@link #keyLock}'s) that inserts it if no committed row is seen, which locks the new row. Its update
     * count is more than 0 when the transaction now holds the key's lock; 0 when a committed row exists, to
     * be locked by {@link #keyLock}. Empty where the key's lock needs no row.
     */
    public Optional<String> createKeyLock() {
        return Optional.empty();
    }

    /**
     * Whether the key's lock and lease are found by the SHA-256 of the key (32 bytes) rather than by the
     * key: where the database cannot index a 1024-character key whole (see {@link KeyHashes}).
     */
    public boolean hashesKeys() {
        return false;
    }

    /**
     * Whether a row-lock clause may name the table whose rows it locks ({@code FOR UPDATE OF t}); where it
     * may not, the clause locks the rows of the query's one table.
     */
    public boolean namesLockedTables() {
        return true;
    }

    /**
     * Whether an insert refused by a unique index takes a lock on the entry it collides with, so that
     * refused inserts of a held key queue behind each other and the holder's release, and deadlock
     * among themselves: then a begin that does not lock the key reads the key's holder first and is
     * refused by that read, inserting only when it saw the key free.
     */
    public boolean refusedInsertsLock() {
        return false;
    }

    /** Whether an UPDATE can return the rows it changed ({@code UPDATE ... RETURNING}). */
    public boolean returnsFromUpdate() {
        return true;
    }

    /**
     * The columns {@code strategy} needs on this database beyond those of the generated tables, by table:
     * the tables and columns only this database's DDL has.
     */
    public Map<String, List<String>> ownColumns(Strategy strategy) {
        return Map.of();
    }

    /** Whether {@code e} is a unique (or primary key) violation. */
    abstract boolean isUniqueViolation(SQLException e);

    /** Whether a lock wait of {@code e}'s statement timed out, or the database was busy past the timeout. */
    abstract boolean isLockTimeout(SQLException e);

    /** Whether the database cancelled {@code e}'s statement (a statement timeout, a cancel request, an interrupt). */
    abstract boolean isCancelled(SQLException e);

    /**
     * The SQLSTATE of {@code e} when it is a deadlock or a serialization failure: the database aborted the
     * whole transaction and rolled it back, so it may be made again. Empty for any other failure.
     */
    abstract Optional<String> abortedForContention(SQLException e);
}
