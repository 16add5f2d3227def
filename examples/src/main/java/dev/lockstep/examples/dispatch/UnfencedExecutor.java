package dev.lockstep.examples.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * An executor that checks the run is still its own, then executes it, then marks it done: three
 * statements, each on its own.
 *
 * <ol>
 *   <li>read the run's executor, if the run is still running; give up unless it is this one;
 *   <li>execute ({@link Executions#execute});
 *   <li>mark the run done.
 * </ol>
 *
 * The bug: nothing ties the check to the execution. A re-dispatch after the check (the orchestrator
 * presumed this executor lost) hands the run to another executor, and both execute it; so does one after
 * the execution but before the run is marked done.
 */
final class UnfencedExecutor implements RunExecutor {

    private final DataSource dataSource;

    UnfencedExecutor(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean run(Dispatch dispatch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement check = c.prepareStatement("SELECT executor FROM dispatch_run WHERE id = ? AND status = 'RUNNING'")) {
                check.setLong(1, dispatch.runId());
                try (ResultSet rs = check.executeQuery()) {
                    if (!rs.next() || !dispatch.executor().equals(rs.getString(1))) {
                        return false;
                    }
                }
            }
            Executions.execute(c, dispatch);
            try (PreparedStatement done = c.prepareStatement("UPDATE dispatch_run SET status = 'DONE' WHERE id = ?")) {
                done.setLong(1, dispatch.runId());
                done.executeUpdate();
            }
            return true;
        }
    }
}
