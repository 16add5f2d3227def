package dev.lockstep.core.waits;

import dev.lockstep.testdb.DatabaseKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LockWaitsOnPostgresIT extends LockWaitContract {

    LockWaitsOnPostgresIT() {
        super(DatabaseKind.POSTGRESQL);
    }

    @Override
    void setOwnLockTimeout(Connection connection, Duration timeout) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("SET lock_timeout = '" + timeout.toMillis() + "ms'");
        }
    }

    @Override
    String showOwnLockTimeout(Connection connection) throws SQLException {
        return single(connection, "SHOW lock_timeout");
    }

    @Test
    void aStatementTimeoutEndsTyped() throws Exception {
        aCancelledStatementEndsTyped("SET statement_timeout = '300ms'");
    }
}
