package dev.lockstep.examples.workflow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Workflow runs kept in the service's own table, started the way most services first write it: look
 * whether another run of the workflow is running, and if not, mark this one running. At most one run of a
 * workflow should run at a time; this class does not guarantee it.
 *
 * <ol>
 *   <li>{@link #schedule} inserts a {@code PENDING} run of a workflow (an orchestrator, ahead of time);
 *   <li>{@link #start} reads the run's workflow, counts that workflow's {@code RUNNING} runs (the guard),
 *       and, when it counts none, updates the run to {@code RUNNING}.
 * </ol>
 *
 * The bug: the guard and the update are separate statements. Two starts of two runs of one workflow that
 * both count before either updates both read 0, and both runs run.
 */
final class NaiveWorkflowRuns {

    /** The service's table, the same on SQLite and PostgreSQL. */
    static final String TABLE = "CREATE TABLE workflow_run ("
            + "id VARCHAR(36) PRIMARY KEY, "
            + "workflow VARCHAR(100) NOT NULL, "
            + "status VARCHAR(16) NOT NULL)";

    private final DataSource dataSource;

    NaiveWorkflowRuns(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts a pending run of {@code workflow} and returns its id. */
    String schedule(String workflow) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO workflow_run (id, workflow, status) VALUES (?, ?, 'PENDING')")) {
            insert.setString(1, id);
            insert.setString(2, workflow);
            insert.executeUpdate();
        }
        return id;
    }

    /**
     * Starts the pending run {@code runId} unless another run of its workflow is running.
     *
     * @return whether the run was started; false leaves it pending
     * @throws IllegalStateException there is no pending run {@code runId}
     */
    boolean start(String runId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            String workflow = pendingWorkflow(c, runId);
            try (PreparedStatement guard = c.prepareStatement(
                    "SELECT count(*) AS running FROM workflow_run WHERE workflow = ? AND status = 'RUNNING'")) {
                guard.setString(1, workflow);
                try (ResultSet rs = guard.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return false;
                    }
                }
            }
            // another start can pass the same guard right here: nothing connects what it read to this write
            try (PreparedStatement update = c.prepareStatement("UPDATE workflow_run SET status = 'RUNNING' WHERE id = ?")) {
                update.setString(1, runId);
                update.executeUpdate();
            }
            return true;
        }
    }

    private static String pendingWorkflow(Connection c, String runId) throws SQLException {
        try (PreparedStatement find = c.prepareStatement("SELECT workflow FROM workflow_run WHERE id = ? AND status = 'PENDING'")) {
            find.setString(1, runId);
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no pending workflow run " + runId);
                }
                return rs.getString(1);
            }
        }
    }
}
