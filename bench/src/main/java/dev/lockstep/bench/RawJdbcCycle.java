package dev.lockstep.bench;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The overhead reference: by hand, the statements running-at-creation sends for a {@code begin} and a
 * {@code complete}, so that the difference between the two is what lock-core's own layers cost.
 *
 * <ol>
 *   <li>one connection: insert the run already {@code running}, fence 1, returning its id (key, name,
 *       owner and fence bound, as lock-core binds them). The partial unique index (on MariaDB the unique
 *       index on the active key's hash) refuses a second active run of the key, and {@code ON CONFLICT DO
 *       NOTHING} ({@code INSERT IGNORE} on MariaDB) makes that no row instead of an error. A refused
 *       begin reads the holder's row (lock-core names it in its refusal); if the holder finished
 *       meanwhile it tries again, at most {@value #MAX_ATTEMPTS} times, as lock-core does. An insert
 *       the database aborts as a deadlock's victim is made again after a random pause, at most
 *       {@value #MAX_ABORTED_ATTEMPTS} times, as lock-core does. On MariaDB the holder is read first,
 *       and a begin that finds one is refused by that read alone, as lock-core does there;
 *   <li>another connection: the fenced compare-and-swap to {@code completed}, which must match one row.
 * </ol>
 * Each statement goes with lock-core's bound on lock waits in front of it, in the same round trip: on
 * PostgreSQL {@code select set_config('lock_timeout', ...)} choosing the smaller of the connection's own
 * {@code lock_timeout} and the default lock timeout, on MariaDB {@code SET STATEMENT
 * innodb_lock_wait_timeout = LEAST(...), lock_wait_timeout = LEAST(...) FOR}; on SQLite the connection's
 * busy timeout bounds them. The SQL that differs by database is {@link BenchSql}'s. Connections come from
 * the same pool, in auto-commit mode, one per call as lock-core borrows them.
 */
final class RawJdbcCycle implements ClaimCycle {

    private static final int MAX_ATTEMPTS = 32;
    /** How many times lock-core makes a statement the database aborted (a deadlock) before it gives up. */
    private static final int MAX_ABORTED_ATTEMPTS = 8;
    /** The run's name and first fence, bound as lock-core binds them (the statuses are literals in both). */
    private static final String NAME = "bench";
    private static final long FENCE = 1;
    /** What a begin's one unit returns besides an id: no row inserted (the key was taken), or a holder seen first. */
    private static final long NOT_INSERTED = 0;
    private static final long HELD = -1;
    private static final long STALE_AFTER_MILLIS = Coordinator.Options.DEFAULT_STALE_AFTER.toMillis();
    private static final String HOLDER_COLUMNS = "id, run_key, name, status, owner, fence, created_at, started_at,"
            + " last_activity_at, completed_at";

    private final DataSource dataSource;
    private final BenchSql sql;
    /** Whether each statement has the lock-timeout statement in front of it, with a result of its own. */
    private final boolean prefixed;
    private final String insert;
    private final String holder;
    private final String complete;

    RawJdbcCycle(DataSource dataSource, Database database) {
        this.dataSource = dataSource;
        BenchSql sql = BenchSql.of(database);
        this.sql = sql;
        String now = sql.now();
        String boundWaits = sql.boundWaits();
        this.prefixed = sql.boundIsStatement();
        this.insert = boundWaits + sql.insertIfAbsent() + " lockstep_run (run_key, name, status, owner, fence, created_at,"
                + " started_at, last_activity_at) VALUES (?, ?, 'running', ?, ?, " + now + ", " + now + ", " + now + ")"
                + sql.ifAbsentSuffix() + " RETURNING id";
        this.holder = boundWaits + "SELECT " + HOLDER_COLUMNS + ", (status = 'running' AND last_activity_at < " + now + " - "
                + STALE_AFTER_MILLIS + ") AS stale FROM lockstep_run WHERE run_key = ? AND status IN ('running', 'paused')"
                + " ORDER BY id LIMIT 1";
        this.complete = boundWaits + "UPDATE lockstep_run SET status = 'completed', last_activity_at = " + now
                + ", completed_at = " + now + " WHERE id = ? AND run_key = ? AND owner = ? AND fence = ? AND status = 'running'";
    }

    @Override
    public boolean attempt(String key, String owner, Runnable critical) throws SQLException {
        OptionalLong id = begin(key, owner);
        if (id.isEmpty()) {
            return false;
        }
        critical.run();
        try (Connection connection = dataSource.getConnection()) {
            // lock-core makes a holder's write the database aborted again, as it does an insert
            retriedOnAbort(() -> complete(connection, id.getAsLong(), key, owner));
            return true;
        }
    }

    private long complete(Connection connection, long id, String key, String owner) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(complete)) {
            statement.setLong(1, id);
            statement.setString(2, key);
            statement.setString(3, owner);
            statement.setLong(4, FENCE);
            execute(statement);
            int updated = statement.getUpdateCount();
            if (updated != 1) {
                throw new IllegalStateException("completing run " + id + " of key '" + key + "' updated " + updated + " rows");
            }
            return updated;
        }
    }

    /** The run's id, or empty when another run holds the key. */
    private OptionalLong begin(String key, String owner) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                // made again, as lock-core does, when the database aborted it as a deadlock's victim: on MariaDB
                // the first inserts of a free key can deadlock on InnoDB's duplicate-key locks; the victim wrote nothing
                long id = retriedOnAbort(() -> sql.looksFirst() && holderExists(connection, key) ? HELD : insert(connection, key, owner));
                if (id > 0) {
                    return OptionalLong.of(id);
                }
                if (id == HELD || holderExists(connection, key)) {
                    return OptionalLong.empty();
                }
            }
        }
        throw new IllegalStateException("begin on key '" + key + "' gave up after " + MAX_ATTEMPTS + " attempts");
    }

    /**
     * Runs {@code unit} again when the database aborted it, at most {@value #MAX_ABORTED_ATTEMPTS} times,
     * each time after a random pause below 1, 2, 4 ... ms, as lock-core does.
     */
    private long retriedOnAbort(Unit unit) throws SQLException {
        for (int aborted = 0; ; ) {
            try {
                return unit.run();
            } catch (SQLException e) {
                if (!sql.aborts().test(e) || ++aborted == MAX_ABORTED_ATTEMPTS) {
                    throw e;
                }
            }
            try {
                TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextLong(1_000L << (aborted - 1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted before retrying an aborted statement", e);
            }
        }
    }

    /** One statement (two on MariaDB's begin) that the database may abort as a deadlock's victim. */
    @FunctionalInterface
    private interface Unit {
        long run() throws SQLException;
    }

    /** The new run's id, or {@link #NOT_INSERTED}. */
    private long insert(Connection connection, String key, String owner) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            statement.setString(1, key);
            statement.setString(2, NAME);
            statement.setString(3, owner);
            statement.setLong(4, FENCE);
            execute(statement);
            try (ResultSet row = statement.getResultSet()) {
                return row.next() ? row.getLong(1) : NOT_INSERTED;
            }
        }
    }

    private boolean holderExists(Connection connection, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(holder)) {
            statement.setString(1, key);
            execute(statement);
            try (ResultSet row = statement.getResultSet()) {
                return row.next() && readHolder(row);
            }
        }
    }

    /** Reads the holder's columns, as lock-core does to name it in its refusal. */
    private static boolean readHolder(ResultSet row) throws SQLException {
        row.getLong("id");
        row.getString("run_key");
        row.getString("name");
        row.getString("status");
        row.getString("owner");
        row.getLong("fence");
        row.getLong("created_at");
        row.getLong("started_at");
        row.getLong("last_activity_at");
        row.getLong("completed_at");
        row.getBoolean("stale");
        return true;
    }

    /** Executes {@code statement}, stepping past the lock-timeout statement in front of it when there is one. */
    private void execute(PreparedStatement statement) throws SQLException {
        statement.execute();
        if (prefixed) {
            statement.getMoreResults();
        }
    }
}
