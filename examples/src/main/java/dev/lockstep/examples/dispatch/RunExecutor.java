package dev.lockstep.examples.dispatch;

import java.sql.SQLException;

/** Executes the runs dispatched to it. */
interface RunExecutor {

    /** Executes {@code dispatch}'s run; false when it did not, because the run is no longer this executor's. */
    boolean run(Dispatch dispatch) throws SQLException;
}
