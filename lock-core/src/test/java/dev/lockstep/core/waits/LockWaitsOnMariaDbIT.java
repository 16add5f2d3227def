package dev.lockstep.core.waits;

import dev.lockstep.testdb.DatabaseKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockWaitsOnMariaDbIT extends LockWaitContract {

    LockWaitsOnMariaDbIT() {
        super(DatabaseKind.MARIADB);
    }

    /** InnoDB's lock wait timeout, in whole seconds (rounded up, at least 1). */
    @Override
    void setOwnLockTimeout(Connection connection, Duration timeout) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET SESSION innodb_lock_wait_timeout = " + Math.max(1, (timeout.toMillis() + 999) / 1000));
        }
    }

    @Override
    String showOwnLockTimeout(Connection connection) throws SQLException {
        return single(connection, "SELECT @@session.innodb_lock_wait_timeout");
    }

    @Test
    void aStatementTimeoutEndsTyped() throws Exception {
        aCancelledStatementEndsTyped("SET SESSION max_statement_time = 0.3");
    }
}
