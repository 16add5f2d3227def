package dev.lockstep.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.Filter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * {@link RaceTest} as JUnit runs it: each fixture of {@link RaceTestFixtures} is launched on its own and what
 * happened (invocations, display names, failures, skips) is read from the launcher's events, what the
 * fixture was given from what it recorded, and what was left behind from the servers themselves.
 */
class RaceTestExtensionIT {

    private static TestDatabase postgres;
    private static TestDatabase mariaDb;

    @BeforeAll
    static void servers() {
        // databases of our own on the provider's servers, to ask those servers what exists
        postgres = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
        mariaDb = TestDatabases.shared().create(DatabaseKind.MARIADB);
    }

    @AfterAll
    static void closeServers() {
        postgres.close();
        mariaDb.close();
    }

    private List<String> databasesBefore;

    @BeforeEach
    void clear() throws SQLException {
        RaceTestFixtures.clear();
        databasesBefore = testDatabases();
    }

    @Test
    void runsOncePerDatabaseInTheOrderNamedEachOnAFreshDatabaseSetUpAsDeclared() throws SQLException {
        Launched launched = launch(RaceTestFixtures.OnEveryDatabase.class);

        assertThat(launched.tests()).containsExactly("SQLite: SUCCESSFUL", "PostgreSQL: SUCCESSFUL", "MariaDB: SUCCESSFUL");
        assertThat(RaceTestFixtures.SEEN).containsExactly(
                "SQLITE SQLite rows=1", "SQLITE race failed=true",
                "POSTGRESQL PostgreSQL rows=1", "POSTGRESQL race failed=true",
                "MARIADB MariaDB rows=1", "MARIADB race failed=true");
        assertThat(RaceTestFixtures.URLS).hasSize(3).doesNotHaveDuplicates();
        assertDropped(RaceTestFixtures.URLS);
        assertNoTestDatabaseLeft();
    }

    @Test
    void beforeEachAndAfterEachMethodsGetTheInvocationsDatabase() throws SQLException {
        Launched launched = launch(RaceTestFixtures.WithLifecycleMethods.class);

        assertThat(launched.tests()).containsExactly("PostgreSQL: SUCCESSFUL", "SQLite: SUCCESSFUL");
        assertThat(RaceTestFixtures.SEEN).containsExactly(
                "before POSTGRESQL", "after POSTGRESQL rows=1", "before SQLITE", "after SQLITE rows=1");
        assertNoTestDatabaseLeft();
    }

    @Test
    void aRaceThatFailsFailsTheInvocationWithTheHarnesssReportAndStillDropsItsDatabase() throws SQLException {
        Launched launched = launch(RaceTestFixtures.FailingRace.class);

        assertThat(launched.tests()).containsExactly("SQLite: FAILED", "MariaDB: FAILED");
        assertThat(RaceTestFixtures.REPORTS).hasSize(2);
        for (int i = 0; i < 2; i++) {
            String report = RaceTestFixtures.REPORTS.get(i);
            assertThat(launched.failures().get(i)).isEqualTo(report);
            assertThat(report).contains("one nightly job").containsOnlyOnce("replay:");
        }
        assertThat(RaceTestFixtures.REPORTS.get(0)).contains("SQLite");
        assertThat(RaceTestFixtures.REPORTS.get(1)).contains("MariaDB");
        assertDropped(RaceTestFixtures.URLS);
        assertNoTestDatabaseLeft();
    }

    @Test
    void aSetupStatementThatFailsNamesItselfAndTheDatabaseAndLeavesNothingBehind() throws SQLException {
        Launched launched = launch(RaceTestFixtures.BrokenSetup.class);

        assertThat(launched.tests()).containsExactly("PostgreSQL: FAILED", "MariaDB: FAILED");
        assertThat(launched.failures()).allSatisfy(message -> assertThat(message)
                .startsWith("@RaceTest setup statement 2 of 2 failed on ")
                .contains(": CREATE TABLE job (name VARCHAR(100) NOT NULL)\n  "));
        assertThat(launched.failures().get(0)).contains("PostgreSQL").contains("already exists");
        assertThat(launched.failures().get(1)).contains("MariaDB").contains("already exists");
        assertThat(RaceTestFixtures.SEEN).isEmpty();
        assertNoTestDatabaseLeft();
    }

    @Test
    void aMisconfiguredRaceTestFailsSayingWhatIsWrongBeforeAnyDatabaseIsMade() throws SQLException {
        assertThat(launch(RaceTestFixtures.NoDatabase.class).containerFailures()).containsExactly(
                "@RaceTest on NoDatabase.race names no database; name at least one, e.g. databases = DatabaseKind.SQLITE");
        assertThat(launch(RaceTestFixtures.TwiceTheSameDatabase.class).containerFailures()).containsExactly(
                "@RaceTest on TwiceTheSameDatabase.race names SQLite twice; each database runs once");
        assertThat(launch(RaceTestFixtures.BlankSetupStatement.class).containerFailures()).containsExactly(
                "@RaceTest on BlankSetupStatement.race has a blank setup statement (statement 2 of 2)");
        assertThat(RaceTestFixtures.SEEN).isEmpty();
        assertNoTestDatabaseLeft();
    }

    @Test
    void withoutDatabasesNamedItRunsOnSqlite() {
        assertThat(launch(RaceTestFixtures.DefaultDatabase.class).tests()).containsExactly("SQLite: SUCCESSFUL");
        assertThat(RaceTestFixtures.SEEN).containsExactly("ran on SQLITE");
    }

    @Test
    void aConstructorCannotAskForTheDatabaseWhichDoesNotExistYet() {
        Launched launched = launch(RaceTestFixtures.ParameterInAConstructor.class);

        assertThat(launched.tests()).containsExactly("SQLite: FAILED");
        assertThat(launched.failures().get(0)).contains("No ParameterResolver registered for parameter [javax.sql.DataSource");
        assertThat(RaceTestFixtures.SEEN).isEmpty();
    }

    @Test
    void everyRaceTestCarriesTheRaceTagWhateverItsClassIsCalled() {
        assertThat(launch(RaceTestFixtures.DefaultDatabase.class, TagFilter.includeTags(RaceTest.TAG)).tests())
                .containsExactly("SQLite: SUCCESSFUL");
        assertThat(launch(RaceTestFixtures.DefaultDatabase.class, TagFilter.excludeTags(RaceTest.TAG)).tests())
                .isEmpty();
        assertThat(RaceTestFixtures.SEEN).containsExactly("ran on SQLITE");
    }

    /** After the fixture: each database it was given is gone (a SQLite file deleted, a server database dropped). */
    private static void assertDropped(List<String> urls) {
        assertThat(urls).isNotEmpty();
        for (String url : urls) {
            if (url.startsWith("jdbc:sqlite:")) {
                assertThat(Path.of(url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*", ""))).doesNotExist();
            } else {
                assertThatThrownBy(() -> DriverManager.getConnection(url).close()).as(url).isInstanceOf(SQLException.class);
            }
        }
    }

    /** The fixture left no test database of this JVM's naming on either server. */
    private void assertNoTestDatabaseLeft() throws SQLException {
        assertThat(testDatabases()).as("test databases on the servers").isEqualTo(databasesBefore);
    }

    /** This JVM's test databases on both servers, by name, but the two this class holds. */
    private static List<String> testDatabases() throws SQLException {
        String pattern = "lockstep\\_" + ProcessHandle.current().pid() + "\\_%";
        List<String> names = new ArrayList<>(names(postgres,
                "SELECT datname FROM pg_database WHERE datname LIKE ? AND datname <> current_database()", pattern));
        names.addAll(names(mariaDb, "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE ?"
                + " AND schema_name <> DATABASE()", pattern));
        names.sort(null);
        return names;
    }

    private static List<String> names(TestDatabase on, String query, String pattern) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = on.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(query)) {
            s.setString(1, pattern);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    private static Launched launch(Class<?> fixture, Filter<?>... filters) {
        Launched launched = new Launched();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).filters(filters).build(),
                launched);
        return launched;
    }

    /** What the launcher reported: each test's display name and status, the failures' messages in order. */
    private static final class Launched implements TestExecutionListener {
        private final List<String> tests = new ArrayList<>();
        private final List<String> failures = new ArrayList<>();
        private final List<String> containerFailures = new ArrayList<>();

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            if (test.isTest()) {
                tests.add(test.getDisplayName() + ": SKIPPED " + reason);
            }
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            String message = result.getThrowable().map(Throwable::getMessage).orElse(null);
            if (test.isTest()) {
                tests.add(test.getDisplayName() + ": " + result.getStatus());
                if (message != null) {
                    failures.add(message);
                }
            } else if (message != null) {
                containerFailures.add(message);
            }
        }

        List<String> tests() {
            return tests;
        }

        List<String> failures() {
            return failures;
        }

        List<String> containerFailures() {
            return containerFailures;
        }
    }
}
