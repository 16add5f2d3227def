package dev.lockstep.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.Database;
import dev.lockstep.core.DatabaseException;
import dev.lockstep.core.LockTimeoutException;
import dev.lockstep.core.StatementCancelledException;
import java.sql.SQLException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void postgresLockNotAvailableIsALockTimeoutNamingRunAndKey() {
        var e = Failures.translate(Dialect.of(Database.POSTGRESQL), "start", 42, "repo/a", wrapped(new SQLException("lock timeout", "55P03")));

        assertThat(e).isInstanceOfSatisfying(LockTimeoutException.class, t -> {
            assertThat(t.runId()).isEqualTo(42);
            assertThat(t.key()).isEqualTo("repo/a");
            assertThat(t.getMessage()).startsWith("start of run 42 on key 'repo/a' gave up waiting for a database lock");
        });
    }

    @Test
    void postgresQueryCanceledIsAStatementCancellation() {
        var e = Failures.translate(Dialect.of(Database.POSTGRESQL), "cancel", 7, null, wrapped(new SQLException("canceling statement", "57014")));

        assertThat(e).isInstanceOfSatisfying(StatementCancelledException.class, t -> {
            assertThat(t.sqlState()).isEqualTo("57014");
            assertThat(t.getMessage()).startsWith("cancel of run 7 was cancelled by the database");
        });
    }

    @Test
    void sqliteBusyAndLockedAreLockTimeoutsWhateverTheExtendedCode() {
        for (int code : new int[] {5, 6, 261 /* BUSY_RECOVERY */, 517 /* BUSY_SNAPSHOT */, 262 /* LOCKED_SHAREDCACHE */}) {
            assertThat(Failures.translate(Dialect.of(Database.SQLITE), "begin", 0, "k", wrapped(new SQLException("busy", null, code))))
                    .as("code %d", code).isInstanceOf(LockTimeoutException.class);
        }
    }

    @Test
    void sqliteInterruptIsAStatementCancellation() {
        assertThat(Failures.translate(Dialect.of(Database.SQLITE), "start", 1, "k", wrapped(new SQLException("interrupted", null, 9))))
                .isInstanceOf(StatementCancelledException.class);
    }

    @Test
    void anythingElseIsADatabaseExceptionWithItsSqlState() {
        assertThat(Failures.translate(Dialect.of(Database.POSTGRESQL), "claim next pending", 0, null, wrapped(new SQLException("gone", "08006"))))
                .isInstanceOfSatisfying(DatabaseException.class, t -> {
                    assertThat(t.sqlState()).isEqualTo("08006");
                    assertThat(t.getMessage()).startsWith("claim next pending failed: ");
                });
    }

    private static DataAccessException wrapped(SQLException e) {
        return new DataAccessException("jOOQ says: " + e.getMessage(), e);
    }
}
