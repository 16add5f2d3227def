package dev.lockstep.junit;

import static dev.lockstep.harness.junit.RaceAssertions.assertNoRace;
import static dev.lockstep.testdb.DatabaseKind.MARIADB;
import static dev.lockstep.testdb.DatabaseKind.POSTGRESQL;
import static dev.lockstep.testdb.DatabaseKind.SQLITE;

import dev.lockstep.dsl.Actor;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Test classes that {@link RaceTestExtensionIT} runs through the JUnit launcher; they record what they were
 * given in {@link #SEEN}. Nested, so that neither surefire nor failsafe runs them on their own.
 */
final class RaceTestFixtures {

    /** One line per thing a fixture saw, in order; cleared by the test before each launch. */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();
    /** The JDBC URLs of the databases the fixtures were given. */
    static final List<String> URLS = new CopyOnWriteArrayList<>();
    /** The reports of the races the fixtures ran. */
    static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    private RaceTestFixtures() {}

    static void clear() {
        SEEN.clear();
        URLS.clear();
        REPORTS.clear();
    }

    /** Two actors that insert a row unless they see one: a race on every database. */
    static Scenario checkThenInsert() {
        Actor.Body insertUnlessThere = ds -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                if (count(s, "SELECT count(*) FROM job WHERE name = 'nightly'") > 0) {
                    return "already there";
                }
                s.executeUpdate("INSERT INTO job (name) VALUES ('nightly')");
                return "inserted";
            }
        };
        return Race.scenario("insert unless there")
                .setupSql("DELETE FROM job WHERE name = 'nightly'")
                .actor("A", insertUnlessThere)
                .actor("B", insertUnlessThere)
                .invariant("one nightly job", "SELECT name FROM job GROUP BY name HAVING count(*) > 1")
                .build();
    }

    static int count(Statement statement, String query) throws SQLException {
        try (ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    static class OnEveryDatabase {
        @RaceTest(databases = {SQLITE, POSTGRESQL, MARIADB},
                setup = {"CREATE TABLE job (name VARCHAR(100) NOT NULL)", "INSERT INTO job (name) VALUES ('seed')"})
        void race(RaceHarness harness, DataSource dataSource, DatabaseKind kind, TestDatabase database) throws SQLException {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                SEEN.add(kind + " " + c.getMetaData().getDatabaseProductName() + " rows=" + count(s, "SELECT count(*) FROM job"));
            }
            URLS.add(database.jdbcUrl());
            RaceResult result = harness.explore(checkThenInsert(), Explorer.exhaustive(100));
            SEEN.add(kind + " race failed=" + result.failed());
        }
    }

    static class WithLifecycleMethods {
        @BeforeEach
        void createTable(DataSource dataSource, DatabaseKind kind) throws SQLException {
            String ddl = kind == SQLITE ? "CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT, v INT)"
                    : kind == POSTGRESQL ? "CREATE TABLE item (id SERIAL PRIMARY KEY, v INT)"
                    : "CREATE TABLE item (id INT AUTO_INCREMENT PRIMARY KEY, v INT)";
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute(ddl);
            }
            SEEN.add("before " + kind);
        }

        @RaceTest(databases = {POSTGRESQL, SQLITE})
        void insert(DataSource dataSource) throws SQLException {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO item (v) VALUES (7)");
            }
        }

        @AfterEach
        void countRows(TestDatabase database) throws SQLException {
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                SEEN.add("after " + database.kind() + " rows=" + count(s, "SELECT count(*) FROM item WHERE v = 7"));
            }
        }
    }

    static class FailingRace {
        @RaceTest(databases = {SQLITE, MARIADB}, setup = "CREATE TABLE job (name VARCHAR(100) NOT NULL)")
        void race(RaceHarness harness, TestDatabase database) {
            URLS.add(database.jdbcUrl());
            RaceResult result = harness.explore(checkThenInsert(), Explorer.exhaustive(100));
            REPORTS.add(result.report());
            assertNoRace(result);
        }
    }

    static class BrokenSetup {
        @RaceTest(databases = {POSTGRESQL, MARIADB},
                setup = {"CREATE TABLE job (name VARCHAR(100) NOT NULL)", "CREATE TABLE job (name VARCHAR(100) NOT NULL)"})
        void race(RaceHarness harness) {
            SEEN.add("ran");
        }
    }

    static class NoDatabase {
        @RaceTest(databases = {})
        void race(RaceHarness harness) {
            SEEN.add("ran");
        }
    }

    static class TwiceTheSameDatabase {
        @RaceTest(databases = {SQLITE, POSTGRESQL, SQLITE})
        void race(RaceHarness harness) {
            SEEN.add("ran");
        }
    }

    static class BlankSetupStatement {
        @RaceTest(setup = {"CREATE TABLE job (name VARCHAR(100) NOT NULL)", " "})
        void race(RaceHarness harness) {
            SEEN.add("ran");
        }
    }

    static class DefaultDatabase {
        @RaceTest
        void race(DatabaseKind kind) {
            SEEN.add("ran on " + kind);
        }
    }

    static class ParameterInAConstructor {
        final DataSource dataSource;

        ParameterInAConstructor(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @RaceTest
        void race(RaceHarness harness) {
            SEEN.add("ran");
        }
    }
}
