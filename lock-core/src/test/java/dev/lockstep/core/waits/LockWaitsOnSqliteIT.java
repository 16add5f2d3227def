package dev.lockstep.core.waits;

import dev.lockstep.testdb.DatabaseKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.SQLiteConnection;

/** SQLite has no statement timeout a connection could carry: its interrupt is classified in {@code FailuresTest}. */
class LockWaitsOnSqliteIT extends LockWaitContract {

    LockWaitsOnSqliteIT() {
        super(DatabaseKind.SQLITE);
    }

    /** As sqlite-jdbc users set it (SQLiteConfig and the URL's busy_timeout end up here too). */
    @Override
    void setOwnLockTimeout(Connection connection, Duration timeout) throws SQLException {
        connection.unwrap(SQLiteConnection.class).setBusyTimeout((int) timeout.toMillis());
    }

    /** From SQLite itself, not from the driver's record of it. */
    @Override
    String showOwnLockTimeout(Connection connection) throws SQLException {
        return single(connection, "PRAGMA busy_timeout");
    }
}
