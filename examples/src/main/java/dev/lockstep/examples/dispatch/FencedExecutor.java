package dev.lockstep.examples.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * An executor whose execution counts only if its attempt is still the run's: the attempt it was
 * dispatched with is a fencing token.
 *
 * <ol>
 *   <li>in one transaction, execute ({@link Executions#execute});
 *   <li>mark the run done with a compare-and-swap on its attempt: {@code UPDATE ... WHERE id = ? AND
 *       status = 'RUNNING' AND attempt = ?};
 *   <li>commit when it updated the run; else the run was re-dispatched meanwhile: roll the execution back.
 * </ol>
 *
 * Guarantee: a run's execution is committed at most once, whatever the interleaving with re-dispatches,
 * because a re-dispatch is itself a compare-and-swap from {@code RUNNING} that raises the attempt: whichever
 * of the two writes the run first, the other one's compare-and-swap finds nothing. Precondition: the
 * execution's effect is written in the same transaction (an effect outside the database needs a store that
 * checks the token itself).
 */
final class FencedExecutor implements RunExecutor {

    private final DataSource dataSource;

    FencedExecutor(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** False, with nothing executed, when the run was re-dispatched or finished meanwhile. */
    @Override
    public boolean run(Dispatch dispatch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Executions.execute(c, dispatch);
                int done;
                try (PreparedStatement fenced = c.prepareStatement(
                        "UPDATE dispatch_run SET status = 'DONE' WHERE id = ? AND status = 'RUNNING' AND attempt = ?")) {
                    fenced.setLong(1, dispatch.runId());
                    fenced.setInt(2, dispatch.attempt());
                    done = fenced.executeUpdate();
                }
                if (done == 0) {
                    c.rollback();
                    return false;
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
