package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Actor;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.trace.CallResult;
import dev.lockstep.harness.trace.TraceEvent;
import dev.lockstep.harness.trace.TraceReport;
import dev.lockstep.testdb.DatabaseKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A trace shows what was read, not only how much: the value a guard's count read, the id an
 * {@code INSERT ... RETURNING} handed back, the first rows of a longer result; transaction control shows
 * as itself, and a COMMIT PostgreSQL turned into a rollback as rolled back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceValuesIT {

    @AutoClose
    private final TestedDatabases databases;

    TraceValuesIT() throws SQLException {
        databases = TestedDatabases.create("CREATE TABLE job (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL)");
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void theGuardsCountAndTheReturnedIdAreInTheTraceAndTheReport(DatabaseKind kind) {
        Scenario scenario = oneActor(ds -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet queued = s.executeQuery("SELECT count(*) AS queued FROM job WHERE name = 'nightly'")) {
                    queued.next();
                    if (queued.getInt(1) > 0) {
                        return "already queued";
                    }
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO job (id, name) VALUES (?, 'nightly') RETURNING id")) {
                    insert.setInt(1, 41);
                    try (ResultSet id = insert.executeQuery()) {
                        id.next();
                        return "enqueued as " + id.getInt(1);
                    }
                }
            }
        });

        Execution run = run(scenario, kind);

        List<CallResult.Rows> reads = reads(run);
        assertThat(reads).hasSize(2);
        assertThat(reads.get(0).columns()).containsExactly("queued");
        assertThat(reads.get(0).firstRows()).singleElement().satisfies(row ->
                assertThat(((Number) row.get(0)).intValue()).isZero());
        assertThat(reads.get(1).columns()).singleElement().satisfies(label -> assertThat(label).isEqualToIgnoringCase("id"));
        assertThat(reads.get(1).firstRows()).singleElement().satisfies(row ->
                assertThat(((Number) row.get(0)).intValue()).isEqualTo(41));
        assertThat(report(scenario, kind, run))
                .contains("→ 1 row\n").contains("  queued=0\n")
                .containsPattern("(?i)  id=41\n")
                .contains("= returned enqueued as 41");
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void aLongResultShowsItsFirstRowsThenHowManyMoreWereRead(DatabaseKind kind) {
        Scenario scenario = Race.scenario("read all")
                .setupSql("DELETE FROM job", "INSERT INTO job (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'it''s'), (4, 'd'), (5, 'e')")
                .actor("A", ds -> {
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                         ResultSet rows = s.executeQuery("SELECT id, name FROM job ORDER BY id")) {
                        int read = 0;
                        while (rows.next()) {
                            read += rows.getString("name").length();
                        }
                        return read;
                    }
                })
                .build();

        Execution run = run(scenario, kind);

        assertThat(reads(run)).singleElement().satisfies(read -> {
            assertThat(read.rows()).isEqualTo(5);
            assertThat(read.firstRows()).hasSize(CallResult.Rows.ROWS_SHOWN);
        });
        assertThat(run.outcomes().of("A").value(Integer.class)).as("the actor's own reads are unchanged").isEqualTo(8);
        assertThat(report(scenario, kind, run))
                .containsPattern("(?i)→ 5 rows\n(.*\n)?.*  id=1, name='a'\n.*  id=2, name='b'\n.*  id=3, name='it''s'\n.*  \\.\\.\\. 2 more\n");
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void transactionControlStatementsShowAsDoneWhateverUpdateCountTheDriverReports(DatabaseKind kind) {
        String begin = kind == DatabaseKind.MARIADB ? "START TRANSACTION" : "BEGIN";
        Scenario scenario = oneActor(ds -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute(begin);
                s.executeUpdate("INSERT INTO job (id, name) VALUES (7, 'x')");
                s.execute("COMMIT");
                return "committed";
            }
        });

        Execution run = run(scenario, kind);

        assertThat(steps(run)).extracting(TraceEvent.Step::sql, TraceEvent.Step::result).containsExactly(
                org.assertj.core.groups.Tuple.tuple(begin, new CallResult.Done()),
                org.assertj.core.groups.Tuple.tuple("INSERT INTO job (id, name) VALUES (7, 'x')", new CallResult.Updated(1)),
                org.assertj.core.groups.Tuple.tuple("COMMIT", new CallResult.Done()));
    }

    @Test
    void aCommitPostgresTurnedIntoARollbackShowsAsRolledBack() {
        // the duplicate aborts the transaction: PostgreSQL answers the commit with ROLLBACK
        Scenario scenario = oneActor(ds -> insertADuplicateThenCommit(ds, c -> {
            try (Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT count(*) FROM job WHERE id = 8")) {
                rows.next();
                return rows.getInt(1);
            }
        }));

        Execution run = run(scenario, DatabaseKind.POSTGRESQL);

        assertThat(run.outcomes().of("A").value(Integer.class)).isZero();
        assertThat(steps(run)).filteredOn(step -> step.kind() == TraceEvent.Kind.COMMIT)
                .extracting(TraceEvent.Step::result).containsExactly(new CallResult.RolledBack());
        assertThat(report(scenario, DatabaseKind.POSTGRESQL, run)).contains("COMMIT").contains("→ rolled back (the transaction had failed)");
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "MARIADB"})
    void aCommitAfterAFailedStatementElsewhereCommitsWhatSucceeded(DatabaseKind kind) {
        // SQLite and MariaDB undo the failed statement, not the transaction
        Scenario scenario = oneActor(ds -> insertADuplicateThenCommit(ds, c -> "committed"));

        Execution run = run(scenario, kind);

        assertThat(steps(run)).filteredOn(step -> step.kind() == TraceEvent.Kind.COMMIT)
                .extracting(TraceEvent.Step::result).containsExactly(new CallResult.Done());
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void generatedKeysTheActorReadShowWithItsInsert(DatabaseKind kind) {
        String table = switch (kind) {
            case SQLITE -> "CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT, v INT)";
            case POSTGRESQL -> "CREATE TABLE item (id SERIAL PRIMARY KEY, v INT)";
            case MARIADB -> "CREATE TABLE item (id INT AUTO_INCREMENT PRIMARY KEY, v INT)";
        };
        Scenario scenario = Race.scenario("generated key").setupSql("DROP TABLE IF EXISTS item", table)
                .actor("A", ds -> {
                    try (Connection c = ds.getConnection();
                         PreparedStatement insert = c.prepareStatement("INSERT INTO item (v) VALUES (5)", Statement.RETURN_GENERATED_KEYS)) {
                        insert.executeUpdate();
                        try (ResultSet keys = insert.getGeneratedKeys()) {
                            keys.next();
                            return keys.getLong(1);
                        }
                    }
                })
                .build();

        Execution run = run(scenario, kind);

        assertThat(run.outcomes().of("A").value(Long.class)).isEqualTo(1L);
        assertThat(steps(run)).filteredOn(step -> step.sql().startsWith("INSERT")).singleElement().satisfies(insert ->
                assertThat(insert.result()).isInstanceOfSatisfying(CallResult.Updated.class, updated -> {
                    assertThat(updated.count()).isEqualTo(1);
                    assertThat(updated.keys()).singleElement().satisfies(key ->
                            assertThat(((Number) key.get(0)).longValue()).isEqualTo(1L));
                }));
        assertThat(report(scenario, kind, run)).contains("→ updated 1\n").containsPattern("  generated [^=\\n]+=1\\b");
    }

    @Test
    void anUpdateCountAskedForAfterAResultSetIsTheStepsResult() {
        Scenario scenario = Race.scenario("select then update").setupSql("DELETE FROM job", "INSERT INTO job (id, name) VALUES (7, 'x')")
                .actor("A", ds -> {
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        s.execute("SELECT 1; UPDATE job SET name = 'y' WHERE id = 7");
                        s.getMoreResults();
                        return s.getUpdateCount();
                    }
                })
                .build();

        Execution run = run(scenario, DatabaseKind.POSTGRESQL);

        assertThat(run.outcomes().of("A").value(Integer.class)).isEqualTo(1);
        assertThat(steps(run)).singleElement().extracting(TraceEvent.Step::result).isEqualTo(new CallResult.Updated(1));
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void everyStepNamesTheLineOfTheCodeUnderTestThatSentIt(DatabaseKind kind) {
        Scenario scenario = oneActor(TraceValuesIT::enqueue);

        Execution run = run(scenario, kind);

        assertThat(steps(run)).extracting(TraceEvent.Step::callSite).hasSize(2).allSatisfy(site ->
                assertThat(site).startsWith("TraceValuesIT.enqueue(TraceValuesIT.java:")).doesNotHaveDuplicates();
        String site = steps(run).get(0).callSite();
        assertThat(report(scenario, kind, run))
                .contains("  | at TraceValuesIT.java:" + site.substring(site.indexOf(':') + 1, site.length() - 1) + " (enqueue)\n");
    }

    @Test
    void framesOfTheLibrariesNamedAreNotCallSites() {
        Scenario scenario = oneActor(ds -> Dao.count(ds));

        Execution plain = run(scenario, DatabaseKind.SQLITE);
        Execution withLibrary = run(scenario, DatabaseKind.SQLITE, List.of(Dao.class.getName()));

        assertThat(steps(plain)).singleElement().extracting(TraceEvent.Step::callSite).asString().startsWith("TraceValuesIT$Dao.count(TraceValuesIT.java:");
        assertThat(steps(withLibrary)).singleElement().extracting(TraceEvent.Step::callSite).asString()
                .startsWith("TraceValuesIT.lambda$framesOfTheLibrariesNamedAreNotCallSites$");
    }

    /** Two statements from two lines of one method. */
    private static Object enqueue(javax.sql.DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("SELECT count(*) FROM job").close();
            return s.executeUpdate("INSERT INTO job (id, name) VALUES (9, 'nine')");
        }
    }

    /** A data-access class, as a library the code under test calls would be. */
    static final class Dao {
        static int count(javax.sql.DataSource ds) throws SQLException {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT count(*) FROM job")) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    @FunctionalInterface
    private interface Then {
        Object after(Connection committed) throws SQLException;
    }

    /** In one transaction: inserts job 8, fails to insert it again, commits; then {@code then} on the same connection. */
    private static Object insertADuplicateThenCommit(javax.sql.DataSource ds, Then then) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO job (id, name) VALUES (8, 'x')");
                try {
                    s.executeUpdate("INSERT INTO job (id, name) VALUES (8, 'duplicate')");
                } catch (SQLException expected) {
                    // a unique violation, as the test wants
                }
            }
            c.commit();
            return then.after(c);
        }
    }

    private static Scenario oneActor(Actor.Body body) {
        return Race.scenario("one actor").setupSql("DELETE FROM job").actor("A", body).build();
    }

    private Execution run(Scenario scenario, DatabaseKind kind) {
        return run(scenario, kind, List.of());
    }

    private Execution run(Scenario scenario, DatabaseKind kind, List<String> libraries) {
        try (ScenarioRunner runner = new ScenarioRunner(scenario, databases.of(kind), Duration.ofSeconds(20), libraries)) {
            Execution run = runner.run((step, ready, previous) -> ready.get(0));
            assertThat(run.outcomes().of("A")).as("A's outcome").isNotInstanceOf(dev.lockstep.dsl.Outcome.Threw.class);
            return run;
        }
    }

    private static String report(Scenario scenario, DatabaseKind kind, Execution run) {
        return TraceReport.of(scenario.name(), kind.name(), run).render();
    }

    private static List<TraceEvent.Step> steps(Execution run) {
        return run.trace().events().stream().filter(TraceEvent.Step.class::isInstance).map(TraceEvent.Step.class::cast).toList();
    }

    private static List<CallResult.Rows> reads(Execution run) {
        List<CallResult.Rows> reads = new ArrayList<>();
        for (TraceEvent.Step step : steps(run)) {
            if (step.result() instanceof CallResult.Rows rows) {
                reads.add(rows);
            }
        }
        return reads;
    }
}
