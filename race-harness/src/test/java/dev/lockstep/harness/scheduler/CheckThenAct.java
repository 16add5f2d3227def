package dev.lockstep.harness.scheduler;

import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;

/**
 * The original bug in plain JDBC, for the runner's own tests: each actor inserts its run pending,
 * looks for a running run of the key, and if it sees none updates its own to running.
 */
final class CheckThenAct {

    /** The table the scenario works on. */
    static final String TABLE = "CREATE TABLE runs (id INTEGER PRIMARY KEY, run_key TEXT NOT NULL, status TEXT NOT NULL)";

    private CheckThenAct() {}

    /** Actors A (run 1) and B (run 2); the invariant: at most one running run per key. */
    static Scenario scenario() {
        return Race.scenario("check-then-act")
                .setupSql("DELETE FROM runs")
                .actor("A", ds -> start(ds, 1))
                .actor("B", ds -> start(ds, 2))
                .invariant("at most one running run per key",
                        "SELECT run_key FROM runs WHERE status = 'running' GROUP BY run_key HAVING count(*) > 1")
                .build();
    }

    private static boolean start(DataSource ds, int id) throws Exception {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO runs (id, run_key, status) VALUES (?, 'k', 'pending')")) {
                insert.setInt(1, id);
                insert.executeUpdate();
            }
            try (PreparedStatement guard = c.prepareStatement("SELECT id FROM runs WHERE run_key = 'k' AND status = 'running'");
                 ResultSet rs = guard.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE runs SET status = 'running' WHERE id = ?")) {
                update.setInt(1, id);
                return update.executeUpdate() == 1;
            }
        }
    }
}
