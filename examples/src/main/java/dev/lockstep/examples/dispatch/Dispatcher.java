package dev.lockstep.examples.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The orchestrator's side of the queue: pending runs in {@code dispatch_run} are claimed, oldest first, and
 * handed to an executor; a running run whose executor is presumed lost (its heartbeats stopped) is handed to
 * another one. Every hand-over is a compare-and-swap from the status it expects, and raises the run's
 * attempt: the fencing token the executor's writes carry.
 */
final class Dispatcher {

    /** The queue's table, the same on SQLite and PostgreSQL. Whoever schedules a run inserts it {@code PENDING}. */
    static final String TABLE = "CREATE TABLE dispatch_run ("
            + "id BIGINT PRIMARY KEY, "
            + "status VARCHAR(16) NOT NULL, "
            + "executor VARCHAR(100), "
            + "attempt INT NOT NULL DEFAULT 0)";

    private final DataSource dataSource;

    Dispatcher(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Claims the oldest pending run for {@code executor}; empty when none is pending. */
    Optional<Dispatch> claimNext(String executor) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return ClaimNext.of(c).claim(c, executor);
        }
    }

    /**
     * Hands the running run {@code runId}, whose executor is presumed lost, to {@code executor} as a new
     * attempt; empty when the run is no longer running (it finished meanwhile). The lost executor may
     * still be alive: only an executor that fences its writes with its attempt stays out of the way.
     */
    Optional<Dispatch> redispatch(long runId, String executor) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return handOver(c, runId, executor, "RUNNING");
        }
    }

    /** Marks run {@code runId} running for {@code executor}, with the next attempt, if its status is {@code from}. */
    static Optional<Dispatch> handOver(Connection c, long runId, String executor, String from) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE dispatch_run SET status = 'RUNNING', executor = ?,"
                + " attempt = attempt + 1 WHERE id = ? AND status = ? RETURNING attempt")) {
            update.setString(1, executor);
            update.setLong(2, runId);
            update.setString(3, from);
            try (ResultSet rs = update.executeQuery()) {
                return rs.next() ? Optional.of(new Dispatch(runId, executor, rs.getInt(1))) : Optional.empty();
            }
        }
    }
}
