package dev.lockstep.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.core.Database;
import dev.lockstep.core.DatabaseException;
import java.sql.SQLException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

class OperationScopeTest {

    private final SQLiteDataSource dataSource = new SQLiteDataSource();
    private final OperationScope.Shared shared = OperationScope.Shared.of(Database.SQLITE, new OperationScope.Tuning(60_000, 2_000, "test", dev.lockstep.core.TableNames.DEFAULT));

    OperationScopeTest() {
        dataSource.setUrl("jdbc:sqlite::memory:");
    }

    @Test
    void aFailureOfTheDatabaseIsTranslatedNamingTheOperationRunAndKey() {
        try (OperationScope scope = OperationScope.open(dataSource, shared, "start", 42, "repo/a")) {
            assertThatThrownBy(() -> scope.call(s -> {
                throw new DataAccessException("boom", new SQLException("disk I/O error", null, 10));
            }))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageStartingWith("start of run 42 on key 'repo/a' failed: ")
                    .hasRootCauseMessage("disk I/O error");
        }
    }

    @Test
    void aProgrammingErrorGoesOnAsItIsNotAsADatabaseException() {
        IllegalStateException bug = new IllegalStateException("a bug, not the database");
        try (OperationScope scope = OperationScope.open(dataSource, shared, "start", 42, "repo/a")) {
            assertThatThrownBy(() -> scope.call(s -> {
                throw bug;
            })).isSameAs(bug);
            NullPointerException npe = new NullPointerException();
            assertThatThrownBy(() -> scope.call(s -> {
                throw npe;
            })).isSameAs(npe);
        }
    }
}
