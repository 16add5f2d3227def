package dev.lockstep.bench;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The overhead reference: by hand, the statements running-at-creation sends for a {@code begin} and a
 * {@code complete}, so that the difference between the two is what lock-core's own layers cost.
 *
 * <ol>
 *   <li>one connection: insert the run already {@code running}, fence 1, returning its id (key, name,
 *       owner and fence bound, as lock-core binds them). The partial unique index refuses a second
 *       active run of the key, and {@code ON CONFLICT DO NOTHING} makes that no row instead of an
 *       error. A refused begin reads the holder's row (lock-core names it in its refusal); if the
 *       holder finished meanwhile it tries again, at most {@value #MAX_ATTEMPTS} times, as lock-core
 *       does;
 *   <li>another connection: the fenced compare-and-swap to {@code completed}, which must match one row.
 * </ol>
 * On PostgreSQL each statement goes with lock-core's bound on lock waits in front of it, in the same
 * round trip: {@code select set_config('lock_timeout', ...)} choosing the smaller of the connection's
 * own {@code lock_timeout} and the default lock timeout. Connections come from the same pool, in
 * auto-commit mode, one per call as lock-core borrows them.
 */
final class RawJdbcCycle implements ClaimCycle {

    private static final int MAX_ATTEMPTS = 32;
    /** The run's name and first fence, bound as lock-core binds them (the statuses are literals in both). */
    private static final String NAME = "bench";
    private static final long FENCE = 1;
    private static final long STALE_AFTER_MILLIS = Coordinator.Options.DEFAULT_STALE_AFTER.toMillis();
    private static final long LOCK_TIMEOUT_MILLIS = Coordinator.Options.DEFAULT_LOCK_TIMEOUT.toMillis();
    private static final String HOLDER_COLUMNS = "id, run_key, name, status, owner, fence, created_at, started_at,"
            + " last_activity_at, completed_at";

    private final DataSource dataSource;
    /** Whether each statement has the lock-timeout statement in front of it. */
    private final boolean prefixed;
    private final String insert;
    private final String holder;
    private final String complete;

    RawJdbcCycle(DataSource dataSource, Database database) {
        this.dataSource = dataSource;
        String now = switch (database) {
            case POSTGRESQL -> "(extract(epoch from clock_timestamp()) * 1000)::bigint";
            case SQLITE -> "cast((julianday('now') - 2440587.5) * 86400000 as integer)";
            case MARIADB -> throw new UnsupportedOperationException("the raw JDBC reference does not run on MariaDB yet");
        };
        String boundWaits = switch (database) {
            case POSTGRESQL -> "select set_config('lock_timeout', case when current_setting('lock_timeout') <> '0'"
                    + " and current_setting('lock_timeout')::interval <= interval '" + LOCK_TIMEOUT_MILLIS + " milliseconds'"
                    + " then current_setting('lock_timeout') else '" + LOCK_TIMEOUT_MILLIS + "ms' end, true);\n";
            case SQLITE, MARIADB -> "";
        };
        this.prefixed = !boundWaits.isEmpty();
        this.insert = boundWaits + "INSERT INTO lockstep_run (run_key, name, status, owner, fence, created_at, started_at,"
                + " last_activity_at) VALUES (?, ?, 'running', ?, ?, " + now + ", " + now + ", " + now + ")"
                + " ON CONFLICT DO NOTHING RETURNING id";
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
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(complete)) {
            statement.setLong(1, id.getAsLong());
            statement.setString(2, key);
            statement.setString(3, owner);
            statement.setLong(4, FENCE);
            execute(statement);
            int updated = statement.getUpdateCount();
            if (updated != 1) {
                throw new IllegalStateException("completing run " + id.getAsLong() + " of key '" + key + "' updated "
                        + updated + " rows");
            }
        }
        return true;
    }

    /** The run's id, or empty when another run holds the key. */
    private OptionalLong begin(String key, String owner) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                OptionalLong id = insert(connection, key, owner);
                if (id.isPresent() || holderExists(connection, key)) {
                    return id;
                }
            }
        }
        throw new IllegalStateException("begin on key '" + key + "' gave up after " + MAX_ATTEMPTS + " attempts");
    }

    private OptionalLong insert(Connection connection, String key, String owner) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            statement.setString(1, key);
            statement.setString(2, NAME);
            statement.setString(3, owner);
            statement.setLong(4, FENCE);
            execute(statement);
            try (ResultSet row = statement.getResultSet()) {
                return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
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
