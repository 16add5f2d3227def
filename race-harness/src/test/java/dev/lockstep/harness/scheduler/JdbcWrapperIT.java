package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.db.DatabaseKind;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.explore.Verdict;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The actor's JDBC wrapper keeps the contract it wraps, one rule per test: what the actor leaves open
 * is closed; the wrappers lead back to the wrappers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcWrapperIT {

    private BothDatabases databases;

    @BeforeAll
    void databases() throws Exception {
        databases = BothDatabases.create("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    }

    @AfterAll
    void drop() {
        databases.close();
    }

    private ScenarioRunner runner(Scenario scenario, DatabaseKind kind) {
        return new ScenarioRunner(scenario, databases.of(kind), Duration.ofSeconds(20));
    }

    private static Object returned(Execution run, String actor) {
        Outcome outcome = run.outcomes().of(actor);
        assertThat(outcome).isInstanceOf(Outcome.Returned.class);
        return ((Outcome.Returned) outcome).value();
    }

    // --- rule 1: what the actor leaves open is closed -------------------------------------------------

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void statementsAndResultSetsLeftOpenAreClosedWhenTheConnectionIsHandedBack(DatabaseKind kind) {
        Scenario scenario = Race.scenario("left open, connection closed")
                .setupSql("DELETE FROM item", "INSERT INTO item (id, name) VALUES (1, 'one'), (2, 'two')")
                .actor("A", ds -> {
                    Connection c = ds.getConnection();
                    Object[] opened = openAndLeaveOpen(c);
                    String before = closed(opened);
                    c.close();
                    return before + " / " + closed(opened);
                })
                .build();
        try (ScenarioRunner runner = runner(scenario, kind)) {
            for (int i = 0; i < 3; i++) {
                Execution run = runner.run(Explorer.follow(Schedule.parse("A")));

                assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
                assertThat(returned(run, "A")).as("run %d", i + 1).isEqualTo("open open open open / closed closed closed closed");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void statementsAndResultSetsLeftOpenAreClosedAtTheEndOfTheRunWhenTheConnectionIsNot(DatabaseKind kind) throws SQLException {
        Scenario scenario = Race.scenario("left open, connection too")
                .setupSql("DELETE FROM item", "INSERT INTO item (id, name) VALUES (1, 'one'), (2, 'two')")
                .actor("A", ds -> List.of(openAndLeaveOpen(ds.getConnection())))
                .build();
        try (ScenarioRunner runner = runner(scenario, kind)) {
            for (int i = 0; i < 3; i++) {
                Execution run = runner.run(Explorer.follow(Schedule.parse("A")));

                assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
                List<?> opened = (List<?>) returned(run, "A");
                assertThat(closed(opened.toArray())).as("run %d", i + 1).isEqualTo("closed closed closed closed");
            }
        }
    }

    /** A statement with a cursor read half-way, a prepared statement, and a metadata result set, all left open. */
    private static Object[] openAndLeaveOpen(Connection c) throws SQLException {
        Statement plain = c.createStatement();
        ResultSet cursor = plain.executeQuery("SELECT id FROM item ORDER BY id");
        cursor.next();
        PreparedStatement prepared = c.prepareStatement("SELECT name FROM item WHERE id = ?");
        ResultSet tables = c.getMetaData().getTables(null, null, "%", null);
        return new Object[] {plain, cursor, prepared, tables};
    }

    /** e.g. {@code open closed}: whether each statement or result set is closed. */
    private static String closed(Object... resources) throws SQLException {
        StringBuilder text = new StringBuilder();
        for (Object resource : resources) {
            boolean closed = resource instanceof Statement s ? s.isClosed() : ((ResultSet) resource).isClosed();
            text.append(text.length() == 0 ? "" : " ").append(closed ? "closed" : "open");
        }
        return text.toString();
    }

    // --- rule 2: the wrappers lead back to the wrappers -----------------------------------------------

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void resultSetsStatementsAndMetadataLeadBackToTheWrappersTheActorUsed(DatabaseKind kind) {
        Scenario scenario = Race.scenario("wrappers")
                .setupSql("DELETE FROM item", "INSERT INTO item (id, name) VALUES (1, 'one'), (2, 'two')")
                .actor("A", ds -> {
                    Map<String, Object> seen = new LinkedHashMap<>();
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        seen.put("Statement.getConnection", s.getConnection() == c);
                        ResultSet query = s.executeQuery("SELECT id FROM item ORDER BY id");
                        seen.put("executeQuery.getStatement", query.getStatement() == s);
                        s.execute("SELECT id FROM item ORDER BY id");
                        ResultSet result = s.getResultSet();
                        seen.put("getResultSet.getStatement", result.getStatement() == s);
                        if (kind == DatabaseKind.POSTGRESQL) { // sqlite-jdbc refuses a second call: "ResultSet already requested"
                            seen.put("getResultSet twice", s.getResultSet() == result);
                        }
                        int rows = 0;
                        while (result.next()) {
                            rows++;
                        }
                        seen.put("rows read", rows);
                        try (PreparedStatement insert = c.prepareStatement("INSERT INTO item (id, name) VALUES (?, ?)",
                                Statement.RETURN_GENERATED_KEYS)) {
                            insert.setInt(1, 7);
                            insert.setString(2, "seven");
                            insert.executeUpdate();
                            ResultSet keys = insert.getGeneratedKeys();
                            seen.put("getGeneratedKeys.getStatement", keys.getStatement() == insert);
                            seen.put("PreparedStatement.getConnection", insert.getConnection() == c);
                            keys.next();
                            seen.put("generated key", keys.getLong(1));
                        }
                        try (PreparedStatement select = c.prepareStatement("SELECT name FROM item WHERE id = ?")) {
                            select.setInt(1, 7);
                            ResultSet name = select.executeQuery();
                            seen.put("prepared executeQuery.getStatement", name.getStatement() == select);
                            name.next();
                            seen.put("name", name.getString(1));
                        }
                        DatabaseMetaData meta = c.getMetaData();
                        seen.put("DatabaseMetaData.getConnection", meta.getConnection() == c);
                        // JDBC: null when "produced some other way, such as by a DatabaseMetaData method"
                        seen.put("metadata ResultSet.getStatement", meta.getTables(null, null, "%", null).getStatement());
                    }
                    return seen;
                })
                .build();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("Statement.getConnection", true);
        expected.put("executeQuery.getStatement", true);
        expected.put("getResultSet.getStatement", true);
        if (kind == DatabaseKind.POSTGRESQL) {
            expected.put("getResultSet twice", true);
        }
        expected.put("rows read", 2);
        expected.put("getGeneratedKeys.getStatement", true);
        expected.put("PreparedStatement.getConnection", true);
        expected.put("generated key", 7L);
        expected.put("prepared executeQuery.getStatement", true);
        expected.put("name", "seven");
        expected.put("DatabaseMetaData.getConnection", true);
        expected.put("metadata ResultSet.getStatement", null);
        try (ScenarioRunner runner = runner(scenario, kind)) {
            Execution run = runner.run(Explorer.follow(Schedule.parse("A")));

            assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
            assertThat(returned(run, "A")).isEqualTo(expected);
            assertThat(TraceLines.of(run)).containsExactly(
                    "0 A SELECT id FROM item ORDER BY id -> 0 rows",
                    "1 A SELECT id FROM item ORDER BY id -> 2 rows", // counted through getResultSet's wrapper
                    "2 A INSERT INTO item (id, name) VALUES (?, ?) -> updated 1",
                    "3 A SELECT name FROM item WHERE id = ? -> 1 rows",
                    "= A");
        }
    }
}
