package dev.lockstep.examples.readme;

import static dev.lockstep.harness.junit.RaceAssertions.assertNoRace;
import static dev.lockstep.harness.junit.RaceAssertions.assertRaceFound;
import static dev.lockstep.testdb.DatabaseKind.MARIADB;
import static dev.lockstep.testdb.DatabaseKind.POSTGRESQL;
import static dev.lockstep.testdb.DatabaseKind.SQLITE;

import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.junit.RaceTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

class NightlyJobRaceTest {

    /** The code under test, as a scheduler would write it: enqueue the nightly job unless it is queued. */
    static String enqueueNightly(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet queued = s.executeQuery("SELECT count(*) FROM job WHERE name = 'nightly'")) {
                queued.next();
                if (queued.getInt(1) > 0) {
                    return "already queued";
                }
            }
            s.executeUpdate("INSERT INTO job (name) VALUES ('nightly')");
            return "enqueued";
        }
    }

    static final Scenario TWO_SCHEDULERS = Race.scenario("two schedulers enqueue the nightly job")
            .setupSql("DELETE FROM job")
            .actor("A", NightlyJobRaceTest::enqueueNightly)
            .actor("B", NightlyJobRaceTest::enqueueNightly)
            .invariant("one nightly job", "SELECT name FROM job GROUP BY name HAVING count(*) > 1")
            .expect("exactly one scheduler enqueues", outcomes -> outcomes.returned("enqueued") == 1)
            .build();

    @RaceTest(databases = {SQLITE, POSTGRESQL, MARIADB},
              setup = "CREATE TABLE job (name VARCHAR(100) NOT NULL)")
    void checkThenInsertEnqueuesTwice(RaceHarness harness) {
        assertRaceFound(harness.explore(TWO_SCHEDULERS, Explorer.exhaustive(1_000)));
    }

    @RaceTest(databases = {SQLITE, POSTGRESQL, MARIADB},
              setup = "CREATE TABLE job (name VARCHAR(100) NOT NULL UNIQUE)")
    void aUniqueKeyLetsTheDatabaseDecide(RaceHarness harness) {
        assertNoRace(harness.explore(TWO_SCHEDULERS, Explorer.exhaustive(1_000)));
    }
}
