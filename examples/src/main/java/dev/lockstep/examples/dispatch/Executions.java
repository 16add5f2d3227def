package dev.lockstep.examples.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * What executing a run does, as far as anyone can see: a row in {@code execution}, standing for the effect
 * a second execution would repeat (a deployment, a payment, an email).
 */
final class Executions {

    /** The effects' table, the same on SQLite and PostgreSQL. */
    static final String TABLE = "CREATE TABLE execution ("
            + "run_id BIGINT NOT NULL, "
            + "executor VARCHAR(100) NOT NULL, "
            + "attempt INT NOT NULL)";

    private Executions() {}

    /** Executes the dispatched run: records its effect on {@code c}, in whatever transaction {@code c} is in. */
    static void execute(Connection c, Dispatch dispatch) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO execution (run_id, executor, attempt) VALUES (?, ?, ?)")) {
            insert.setLong(1, dispatch.runId());
            insert.setString(2, dispatch.executor());
            insert.setInt(3, dispatch.attempt());
            insert.executeUpdate();
        }
    }
}
