package dev.lockstep.bench;

import dev.lockstep.core.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The overhead reference: by hand, the SQL running-at-creation sends on its happy path.
 *
 * <ol>
 *   <li>insert the run already {@code running}, fence 1, returning its id; the partial unique index
 *       refuses a second active run of the key (a unique violation: rejected);
 *   <li>the fenced compare-and-swap to {@code completed}, which must match exactly one row.
 * </ol>
 * Each statement borrows its own pooled connection in auto-commit mode, as lock-core's calls do.
 * Unlike lock-core, a refusal does not look up the holder to name it.
 */
final class RawJdbcCycle implements ClaimCycle {

    private static final String PG_UNIQUE_VIOLATION = "23505";
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_CONSTRAINT_UNIQUE = 2067;

    private final DataSource dataSource;
    private final Database database;
    private final String insert;
    private final String complete;

    RawJdbcCycle(DataSource dataSource, Database database) {
        this.dataSource = dataSource;
        this.database = database;
        String now = switch (database) {
            case POSTGRESQL -> "(extract(epoch from clock_timestamp()) * 1000)::bigint";
            case SQLITE -> "cast((julianday('now') - 2440587.5) * 86400000 as integer)";
        };
        this.insert = "INSERT INTO lockstep_run (run_key, name, status, owner, fence, created_at, started_at, last_activity_at)"
                + " VALUES (?, 'bench', 'running', ?, 1, " + now + ", " + now + ", " + now + ") RETURNING id";
        this.complete = "UPDATE lockstep_run SET status = 'completed', last_activity_at = " + now + ", completed_at = " + now
                + " WHERE id = ? AND run_key = ? AND owner = ? AND fence = 1 AND status = 'running'";
    }

    @Override
    public boolean attempt(String key, String owner, Runnable critical) throws SQLException {
        long id;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(insert)) {
            statement.setString(1, key);
            statement.setString(2, owner);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                id = row.getLong(1);
            }
        } catch (SQLException e) {
            if (isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
        critical.run();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(complete)) {
            statement.setLong(1, id);
            statement.setString(2, key);
            statement.setString(3, owner);
            int updated = statement.executeUpdate();
            if (updated != 1) {
                throw new IllegalStateException("completing run " + id + " of key '" + key + "' updated " + updated + " rows");
            }
        }
        return true;
    }

    private boolean isUniqueViolation(SQLException e) {
        return switch (database) {
            case POSTGRESQL -> PG_UNIQUE_VIOLATION.equals(e.getSQLState());
            // sqlite-jdbc reports the primary result code or the extended one, depending on the call
            case SQLITE -> e.getErrorCode() == SQLITE_CONSTRAINT_UNIQUE
                    || (e.getErrorCode() == SQLITE_CONSTRAINT && String.valueOf(e.getMessage()).contains("UNIQUE"));
        };
    }
}
