package dev.lockstep.bench;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Database;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every piece of SQL the benchmark writes by hand that differs between databases, in one place per
 * database: the raw JDBC reference's clock, lock-wait bound and insert-if-absent form (each as lock-core
 * sends it on that database, see {@link RawJdbcCycle}), ShedLock's table as ShedLock's documentation gives
 * it, and how the benchmark's tables are reset. The statements themselves are written once, in the
 * classes that send them.
 *
 * @param now                   the database clock in epoch milliseconds, as lock-core's dialect writes it
 * @param boundWaits            what lock-core puts in front of every statement to bound its lock waits
 *                              (empty where the connection's own busy timeout does it)
 * @param boundIsStatement      whether {@code boundWaits} is a statement of its own with a result of its own
 *                              (PostgreSQL's {@code select set_config(...);}) rather than a clause of the
 *                              statement it begins (MariaDB's {@code SET STATEMENT ... FOR})
 * @param insertIfAbsent        the start of an insert that a unique index turns into no row, not an error
 * @param ifAbsentSuffix        what follows its {@code VALUES (...)}, up to {@code RETURNING}
 * @param shedlockTable         ShedLock's lock table
 * @param dropOneActiveIndex    drops running-at-creation's unique index if it is there (the table may not be)
 * @param emptyTables           empties every table the benchmark writes
 * @param aborts                whether the database aborted a statement as lock-core's dialect says it does
 *                              (deadlock, serialization failure), so that lock-core would make it again
 * @param looksFirst            whether a begin reads the key's holder before it inserts, as lock-core does
 *                              where a refused insert locks the holder's index entry (MariaDB)
 */
record BenchSql(String now, String boundWaits, boolean boundIsStatement, String insertIfAbsent, String ifAbsentSuffix,
        String shedlockTable, String dropOneActiveIndex, List<String> emptyTables, Predicate<SQLException> aborts,
        boolean looksFirst) {

    private static final long LOCK_TIMEOUT_MILLIS = Coordinator.Options.DEFAULT_LOCK_TIMEOUT.toMillis();

    /** ShedLock's table for PostgreSQL, as its documentation gives it; the same text works on SQLite. */
    private static final String SHEDLOCK_TABLE = "CREATE TABLE IF NOT EXISTS shedlock (name VARCHAR(64) NOT NULL, "
            + "lock_until TIMESTAMP NOT NULL, locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL, PRIMARY KEY (name))";

    private static final BenchSql POSTGRESQL = new BenchSql(
            "(extract(epoch from clock_timestamp()) * 1000)::bigint",
            "select set_config('lock_timeout', case when current_setting('lock_timeout') <> '0'"
                    + " and current_setting('lock_timeout')::interval <= interval '" + LOCK_TIMEOUT_MILLIS + " milliseconds'"
                    + " then current_setting('lock_timeout') else '" + LOCK_TIMEOUT_MILLIS + "ms' end, true);\n",
            true,
            "INSERT INTO",
            " ON CONFLICT DO NOTHING",
            SHEDLOCK_TABLE,
            "DROP INDEX IF EXISTS lockstep_run_one_active_per_key",
            // TRUNCATE: a DELETE leaves the dead rows and their index entries to autovacuum, so a subject measured
            // after a busy one would probe the unique index past thousands of dead entries of its key, and the
            // order of subjects would show in their figures
            List.of("TRUNCATE lockstep_run, lockstep_lease, shedlock"),
            e -> "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState()),
            false);

    private static final BenchSql SQLITE = new BenchSql(
            "cast((julianday('now') - 2440587.5) * 86400000 as integer)",
            "",
            false,
            "INSERT INTO",
            " ON CONFLICT DO NOTHING",
            SHEDLOCK_TABLE,
            "DROP INDEX IF EXISTS lockstep_run_one_active_per_key",
            // a DELETE without a WHERE drops the tables' pages already
            List.of("DELETE FROM lockstep_run", "DELETE FROM lockstep_lease", "DELETE FROM shedlock"),
            e -> false,
            false);

    /**
     * MariaDB: lock-core's dialect bounds row-lock and metadata-lock waits per statement, in whole seconds;
     * {@code INSERT IGNORE} is its {@code ON CONFLICT DO NOTHING} (an empty {@code RETURNING} when refused).
     * A deadlock is error 1213. ShedLock's MySQL and MariaDB table has millisecond timestamps ({@code TIMESTAMP} alone would round
     * them to seconds). Tables are emptied with {@code TRUNCATE TABLE}, which InnoDB does by making the
     * table anew: a {@code DELETE} leaves delete-marked index entries to the purge thread, with the same
     * effect on the next subject as dead tuples on PostgreSQL.
     */
    private static final BenchSql MARIADB = new BenchSql(
            "((timestampdiff(microsecond, '1970-01-01 00:00:00', utc_timestamp(6))"
                    + " + timestampdiff(microsecond, now(6), sysdate(6))) div 1000)",
            "SET STATEMENT innodb_lock_wait_timeout = LEAST(@@innodb_lock_wait_timeout, " + seconds(LOCK_TIMEOUT_MILLIS)
                    + "), lock_wait_timeout = LEAST(@@lock_wait_timeout, " + seconds(LOCK_TIMEOUT_MILLIS) + ") FOR ",
            false,
            "INSERT IGNORE INTO",
            "",
            "CREATE TABLE IF NOT EXISTS shedlock (name VARCHAR(64) NOT NULL, lock_until TIMESTAMP(3) NOT NULL, "
                    + "locked_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), locked_by VARCHAR(255) NOT NULL, "
                    + "PRIMARY KEY (name))",
            "ALTER TABLE IF EXISTS lockstep_run DROP INDEX IF EXISTS lockstep_run_one_active_per_key",
            List.of("TRUNCATE TABLE lockstep_run", "TRUNCATE TABLE lockstep_lease", "TRUNCATE TABLE lockstep_key_lock",
                    "TRUNCATE TABLE shedlock"),
            e -> e.getErrorCode() == 1213,
            true);

    static BenchSql of(Database database) {
        return switch (database) {
            case POSTGRESQL -> POSTGRESQL;
            case SQLITE -> SQLITE;
            case MARIADB -> MARIADB;
        };
    }

    /** InnoDB's lock waits are whole seconds: the lock timeout rounded up, at least 1, as lock-core rounds it. */
    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }
}
