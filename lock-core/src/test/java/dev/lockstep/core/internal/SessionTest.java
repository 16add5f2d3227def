package dev.lockstep.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.core.Database;
import dev.lockstep.core.DatabaseException;
import java.sql.SQLException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

class SessionTest {

    private final SQLiteDataSource dataSource = new SQLiteDataSource();
    private final Session.Shared shared = Session.Shared.of(Database.SQLITE, new Session.Tuning(60_000, 2_000, "test"));

    SessionTest() {
        dataSource.setUrl("jdbc:sqlite::memory:");
    }

    @Test
    void aFailureOfTheDatabaseIsTranslatedNamingTheOperationRunAndKey() {
        try (Session session = Session.open(dataSource, shared, "start", 42, "repo/a")) {
            assertThatThrownBy(() -> session.call(s -> {
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
        try (Session session = Session.open(dataSource, shared, "start", 42, "repo/a")) {
            assertThatThrownBy(() -> session.call(s -> {
                throw bug;
            })).isSameAs(bug);
            NullPointerException npe = new NullPointerException();
            assertThatThrownBy(() -> session.call(s -> {
                throw npe;
            })).isSameAs(npe);
        }
    }
}
