package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A failure names the run and key its operation concerned, as far as the operation had got. */
class FailureNamesIT {

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aClaimNextThatFailsOnItsCandidateNamesThatRunAndKey(DatabaseKind kind) throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(kind)) {
            Schema.install(db.dataSource(), Strategy.ON_CONFLICT_LEASE);
            Coordinator runs = Coordinator.create(db.dataSource(), Strategy.ON_CONFLICT_LEASE); // the schema is checked here
            Run queued = runs.create("repo/a", "build");
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE lockstep_lease"); // taking the candidate's lease fails, after the candidate was read
            }

            assertThatThrownBy(() -> runs.claimNextPending("executor-1"))
                    .isInstanceOf(LockstepException.class)
                    .hasMessageStartingWith("claim next pending of run " + queued.id() + " on key 'repo/a'");
        }
    }
}
