package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.dsl.Actor;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.junit.RaceAssertions;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** A service's own check-then-act, raced as a user would: the harness must find the double insert. */
class CheckThenActRaceTest {

    @Test
    void theHarnessFindsTheDoubleInsertOfAGuardThatChecksThenActs() throws Exception {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.SQLITE)) {
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE job (name TEXT NOT NULL)");
            }
            Actor.Body insertUnlessThere = ds -> {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    try (ResultSet rows = s.executeQuery("SELECT count(*) FROM job WHERE name = 'nightly'")) {
                        rows.next();
                        if (rows.getInt(1) > 0) {
                            return "already there";
                        }
                    }
                    s.executeUpdate("INSERT INTO job (name) VALUES ('nightly')");
                    return "inserted";
                }
            };
            Scenario race = Race.scenario("insert unless there")
                    .setupSql("DELETE FROM job")
                    .actor("A", insertUnlessThere)
                    .actor("B", insertUnlessThere)
                    .invariant("one nightly job", "SELECT name FROM job GROUP BY name HAVING count(*) > 1")
                    .build();

            RaceResult result = RaceHarness.on(db.dataSource()).explore(race, Explorer.exhaustive(1000));

            assertTrue(result.failed(), "the check-then-act race was not found");
            AssertionError failure = assertThrows(AssertionError.class, () -> RaceAssertions.assertNoRace(result));
            assertTrue(failure.getMessage().contains("one nightly job"), failure.getMessage());
            assertEquals(1, failure.getMessage().lines().filter(line -> line.startsWith("replay:")).count(), failure.getMessage());
        }
    }
}
