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
 *   <li>one connection: insert the run already {@code running}, fence 1, returning its id. The partial
 *       unique index refuses a second active run of the key, and {@code ON CONFLICT DO NOTHING} makes
 *       that no row instead of an error. A refused begin reads the holder's row (lock-core names it in
 *       its refusal): on PostgreSQL in the same statement, a {@code WITH} around the insert; on SQLite,
 *       which has no writes in {@code WITH}, in a second one. If the holder finished meanwhile it tries
 *       again, at most {@value #MAX_ATTEMPTS} times, as lock-core does;
 *   <li>another connection: the fenced compare-and-swap to {@code completed}, which must match one row.
 * </ol>
 * On PostgreSQL each statement goes with lock-core's bound on lock waits in front of it, in the same
 * round trip: {@code select set_config('lock_timeout', ...)} choosing the smaller of the connection's
 * own {@code lock_timeout} and the default lock timeout. Connections come from the same pool, in
 * auto-commit mode, one per call as lock-core borrows them.
 */
final class RawJdbcCycle implements ClaimCycle {

    private static final int MAX_ATTEMPTS = 32;
    private static final long STALE_AFTER_MILLIS = Coordinator.Options.DEFAULT_STALE_AFTER.toMillis();
    private static final long LOCK_TIMEOUT_MILLIS = Coordinator.Options.DEFAULT_LOCK_TIMEOUT.toMillis();
    private static final String HOLDER_COLUMNS = "id, run_key, name, status, owner, fence, created_at, started_at,"
            + " last_activity_at, completed_at";

    private final DataSource dataSource;
    private final boolean insertReadsHolder;
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
        };
        String boundWaits = switch (database) {
            case POSTGRESQL -> "select set_config('lock_timeout', case when current_setting('lock_timeout') <> '0'"
                    + " and current_setting('lock_timeout')::interval <= interval '" + LOCK_TIMEOUT_MILLIS + " milliseconds'"
                    + " then current_setting('lock_timeout') else '" + LOCK_TIMEOUT_MILLIS + "ms' end, true);\n";
            case SQLITE -> "";
        };
        String insertOnly = "INSERT INTO lockstep_run (run_key, name, status, owner, fence, created_at, started_at, last_activity_at)"
                + " VALUES (?, 'bench', 'running', ?, 1, " + now + ", " + now + ", " + now + ") ON CONFLICT DO NOTHING RETURNING id";
        String holderOf = "SELECT " + HOLDER_COLUMNS + ", (status = 'running' AND last_activity_at < " + now + " - "
                + STALE_AFTER_MILLIS + ") AS stale FROM lockstep_run WHERE run_key = ? AND status IN ('running', 'paused')";
        this.insertReadsHolder = database == Database.POSTGRESQL;
        this.prefixed = !boundWaits.isEmpty();
        this.insert = boundWaits + (insertReadsHolder
                ? "WITH inserted AS (" + insertOnly + ") SELECT id, NULL AS run_key, NULL AS name, NULL AS status,"
                        + " NULL AS owner, NULL AS fence, NULL AS created_at, NULL AS started_at, NULL AS last_activity_at,"
                        + " NULL AS completed_at, NULL AS stale FROM inserted UNION ALL (" + holderOf
                        + " AND NOT EXISTS (SELECT 1 FROM inserted) ORDER BY id LIMIT 1)"
                : insertOnly);
        this.holder = holderOf + " ORDER BY id LIMIT 1";
        this.complete = boundWaits + "UPDATE lockstep_run SET status = 'completed', last_activity_at = " + now
                + ", completed_at = " + now + " WHERE id = ? AND run_key = ? AND owner = ? AND fence = 1 AND status = 'running'";
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
                Inserted inserted = insert(connection, key, owner);
                if (inserted.id().isPresent() || inserted.holderSeen() || (!insertReadsHolder && holderExists(connection, key))) {
                    return inserted.id();
                }
            }
        }
        throw new IllegalStateException("begin on key '" + key + "' gave up after " + MAX_ATTEMPTS + " attempts");
    }

    /** The new run's id, or none and whether the statement read a holder. */
    private record Inserted(OptionalLong id, boolean holderSeen) {}

    private Inserted insert(Connection connection, String key, String owner) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            statement.setString(1, key);
            statement.setString(2, owner);
            if (insertReadsHolder) {
                statement.setString(3, key);
            }
            execute(statement);
            try (ResultSet row = statement.getResultSet()) {
                if (!row.next()) {
                    return new Inserted(OptionalLong.empty(), false);
                }
                return !insertReadsHolder || row.getString("run_key") == null
                        ? new Inserted(OptionalLong.of(row.getLong("id")), false)
                        : new Inserted(OptionalLong.empty(), readHolder(row));
            }
        }
    }

    private boolean holderExists(Connection connection, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(holder)) {
            statement.setString(1, key);
            try (ResultSet row = statement.executeQuery()) {
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

    /**
     * Executes {@code statement}, stepping past the lock-timeout statement in front of it when there is one;
     * returns whether the statement's own result is a row set.
     */
    private boolean execute(PreparedStatement statement) throws SQLException {
        boolean rows = statement.execute();
        return prefixed ? statement.getMoreResults() : rows;
    }
}
