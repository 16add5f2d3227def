package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.harness.trace.TraceEvent;
import dev.lockstep.harness.trace.TraceReport;
import dev.lockstep.testdb.DatabaseKind;
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
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The actor's JDBC wrapper keeps the contract it wraps, one rule per test: what the actor leaves open
 * is closed; the wrappers lead back to the wrappers; {@code setAutoCommit(true)} that commits is a
 * yield point; settings changed through JDBC are in the trace and restored before the next run.
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

    // --- rule 3: setAutoCommit(true) that commits is a yield point -----------------------------------

    /** Inserts one item in a transaction that setAutoCommit(true) commits. */
    private static Scenario insertsCommittedBySetAutoCommit() {
        return Race.scenario("commit by setAutoCommit")
                .setupSql("DELETE FROM item")
                .actor("A", ds -> insertThenAutoCommit(ds, 1))
                .actor("B", ds -> insertThenAutoCommit(ds, 2))
                .invariant("at most one item", "SELECT count(*) AS items FROM item HAVING count(*) > 1")
                .build();
    }

    private static String insertThenAutoCommit(DataSource ds, int id) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO item (id, name) VALUES (?, 'x')")) {
                insert.setInt(1, id);
                insert.executeUpdate();
            }
            c.setAutoCommit(true);
            return "inserted";
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void setAutoCommitTrueWithATransactionOpenIsACommitStepAndTheInvariantBreaksThere(DatabaseKind kind) {
        try (ScenarioRunner runner = runner(insertsCommittedBySetAutoCommit(), kind)) {
            Execution run = runner.run(Explorer.follow(Schedule.parse("A A B B")));

            assertThat(run.schedule()).hasToString("A A B B");
            assertThat(run.verdict()).isEqualTo(new Verdict.InvariantBroken("at most one item", 3, "items=2"));
            assertThat(TraceLines.of(run)).containsExactly(
                    "A setAutoCommit(false)",
                    "B setAutoCommit(false)",
                    "0 A INSERT INTO item (id, name) VALUES (?, 'x') -> updated 1",
                    "1 A setAutoCommit(true) -> ok",
                    "= A",
                    "2 B INSERT INTO item (id, name) VALUES (?, 'x') -> updated 1",
                    "3 B setAutoCommit(true) -> ok",
                    "= B");
            assertThat(run.trace().events()).filteredOn(TraceEvent.Step.class::isInstance).map(e -> ((TraceEvent.Step) e).kind())
                    .containsExactly(TraceEvent.Kind.STATEMENT, TraceEvent.Kind.COMMIT, TraceEvent.Kind.STATEMENT, TraceEvent.Kind.COMMIT);
            String report = TraceReport.of("commit by setAutoCommit", runner.databaseDescription(), run).withColumnWidth(30).render();
            assertThat(report).contains("""
                    # | A                              | B
                    --+--------------------------------+-------------------------------
                      | setAutoCommit(false)           |
                      |                                | setAutoCommit(false)
                    0 | INSERT INTO item (id, name)    |
                      |   VALUES (?, 'x')              |
                      | [?1=1]                         |
                      | → updated 1                    |
                    1 | COMMIT (setAutoCommit(true))   |
                      | → ok                           |
                      | = returned inserted            |
                    2 |                                | INSERT INTO item (id, name)
                      |                                |   VALUES (?, 'x')
                      |                                | [?1=2]
                      |                                | → updated 1
                    3 |                                | COMMIT (setAutoCommit(true))
                      |                                | → ok
                      |                                | = returned inserted
                    >>> invariant broken: at most one item
                    """);
            assertThat(report).contains("  after step 3: B COMMIT (setAutoCommit(true))\n");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void setAutoCommitTrueCommitsNothingWhenTheModeDoesNotChangeOrNothingWasSent(DatabaseKind kind) {
        Scenario scenario = Race.scenario("setAutoCommit(true) that commits nothing")
                .setupSql("DELETE FROM item")
                .actor("A", ds -> {
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        c.setAutoCommit(false);
                        c.setAutoCommit(true); // nothing was sent in that transaction: nothing to commit
                        c.setAutoCommit(true); // already on: a no-op
                        s.execute("BEGIN"); // a transaction JDBC's autocommit flag does not show
                        s.executeUpdate("INSERT INTO item (id, name) VALUES (1, 'one')");
                        c.setAutoCommit(true); // the mode does not change, so JDBC commits nothing
                        return "done";
                    } // handing the connection back rolls the BEGIN's transaction back
                })
                .finalInvariant("the insert was never committed", "SELECT id FROM item")
                .build();
        try (ScenarioRunner runner = runner(scenario, kind)) {
            Execution run = runner.run(Explorer.follow(Schedule.parse("A A")));

            assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
            assertThat(TraceLines.of(run)).containsExactly(
                    "A setAutoCommit(false)",
                    "A setAutoCommit(true)",
                    "A setAutoCommit(true)",
                    "0 A BEGIN -> updated 0",
                    "1 A INSERT INTO item (id, name) VALUES (1, 'one') -> updated 1",
                    "A setAutoCommit(true)",
                    "= A");
        }
    }

    @org.junit.jupiter.api.Test
    void setAutoCommitTrueAfterACommitStatementCommitsNothingOnPostgres() {
        Scenario scenario = Race.scenario("a COMMIT statement, then setAutoCommit(true)")
                .setupSql("DELETE FROM item")
                .actor("A", ds -> {
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        c.setAutoCommit(false);
                        s.executeUpdate("INSERT INTO item (id, name) VALUES (1, 'one')");
                        s.execute("COMMIT"); // ends the transaction: pgjdbc sees the server's state
                        c.setAutoCommit(true); // so nothing is left to commit, and no step is made of it
                        return "done";
                    }
                })
                .finalInvariant("the insert was committed", "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM item WHERE id = 1)")
                .build();
        try (ScenarioRunner runner = runner(scenario, DatabaseKind.POSTGRESQL)) {
            Execution run = runner.run(Explorer.follow(Schedule.parse("A A")));

            assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
            assertThat(TraceLines.of(run)).containsExactly(
                    "A setAutoCommit(false)",
                    "0 A INSERT INTO item (id, name) VALUES (1, 'one') -> updated 1",
                    "1 A COMMIT -> updated 0",
                    "A setAutoCommit(true)",
                    "= A");
        }
    }

    // --- rule 4: settings changed through JDBC are in the trace and restored ---------------------------

    /**
     * The settings as the driver reports them, and as the database has them where it keeps them:
     * PostgreSQL's search_path and default isolation, SQLite's read_uncommitted pragma.
     */
    private static String settings(Connection c, DatabaseKind kind) throws SQLException {
        String server;
        try (Statement raw = c.unwrap(Connection.class).createStatement()) { // not through the wrapper: no step
            server = kind == DatabaseKind.POSTGRESQL
                    ? value(raw, "SHOW search_path") + "; " + value(raw, "SHOW default_transaction_isolation")
                    : "read_uncommitted=" + value(raw, "PRAGMA read_uncommitted");
        }
        return "autoCommit=" + c.getAutoCommit() + " isolation=" + ConnectionState.isolationName(c.getTransactionIsolation())
                + " readOnly=" + c.isReadOnly() + " catalog=" + c.getCatalog() + " schema=" + c.getSchema() + " (" + server + ")";
    }

    private static String value(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Changes every setting it can; SQLite refuses read-only once connected, and the code under test goes on. */
    private static void changeEverySetting(Connection c, DatabaseKind kind) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(kind == DatabaseKind.SQLITE ? Connection.TRANSACTION_READ_UNCOMMITTED : Connection.TRANSACTION_SERIALIZABLE);
        try {
            c.setReadOnly(true);
        } catch (SQLException refused) {
            // sqlite-jdbc: "Cannot change read-only flag after establishing a connection"
        }
        c.setCatalog("elsewhere");
        c.setSchema(kind == DatabaseKind.SQLITE ? "main" : "pg_catalog");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void settingsChangedThroughJdbcAreTraceLinesAndAreRestoredBeforeTheNextRun(DatabaseKind kind) throws SQLException {
        Scenario scenario = Race.scenario("settings")
                .actor("A", ds -> { // hands its connection back
                    try (Connection c = ds.getConnection()) {
                        return changeAndReport(c, kind);
                    }
                })
                .actor("B", ds -> changeAndReport(ds.getConnection(), kind)) // leaves it to the end of the run
                .build();
        String catalog;
        try (Connection plain = databases.of(kind).getConnection()) {
            catalog = plain.getCatalog();
        }
        String expected = kind == DatabaseKind.POSTGRESQL
                ? "autoCommit=true isolation=READ_COMMITTED readOnly=false catalog=" + catalog + " schema=public (\"$user\", public; read committed)"
                        + " -> autoCommit=false isolation=SERIALIZABLE readOnly=true catalog=" + catalog + " schema=pg_catalog"
                        + " (pg_catalog; serializable)"
                : "autoCommit=true isolation=SERIALIZABLE readOnly=false catalog=null schema=null (read_uncommitted=0)"
                        + " -> autoCommit=false isolation=READ_UNCOMMITTED readOnly=false catalog=null schema=null (read_uncommitted=1)";
        String readOnly = kind == DatabaseKind.SQLITE ? "setReadOnly(true) -> ERROR" : "setReadOnly(true)";
        String isolation = kind == DatabaseKind.SQLITE ? "READ_UNCOMMITTED" : "SERIALIZABLE";
        String schema = kind == DatabaseKind.SQLITE ? "'main'" : "'pg_catalog'";
        try (ScenarioRunner runner = runner(scenario, kind)) {
            for (int i = 0; i < 3; i++) {
                Execution run = runner.run(Explorer.follow(Schedule.parse("A B")));

                assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
                assertThat(returned(run, "A")).as("run %d", i + 1).isEqualTo(expected);
                assertThat(returned(run, "B")).as("run %d", i + 1).isEqualTo(expected);
                assertThat(TraceLines.of(run)).containsExactly(
                        "A setAutoCommit(false)",
                        "A setTransactionIsolation(" + isolation + ")",
                        "A " + readOnly,
                        "A setCatalog('elsewhere')",
                        "A setSchema(" + schema + ")",
                        "B setAutoCommit(false)",
                        "B setTransactionIsolation(" + isolation + ")",
                        "B " + readOnly,
                        "B setCatalog('elsewhere')",
                        "B setSchema(" + schema + ")",
                        "0 A SELECT 1 -> 0 rows",
                        "= A",
                        "1 B SELECT 1 -> 0 rows",
                        "= B");
            }
        }
    }

    private static String changeAndReport(Connection c, DatabaseKind kind) throws SQLException {
        String before = settings(c, kind);
        changeEverySetting(c, kind);
        String after = settings(c, kind);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
        return before + " -> " + after;
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aConnectionHandedBackDuringTheRunComesBackWithItsSettingsRestored(DatabaseKind kind) {
        Scenario scenario = Race.scenario("settings, handed back")
                .actor("A", ds -> {
                    Connection first = ds.getConnection();
                    String before = settings(first, kind);
                    Connection raw = first.unwrap(Connection.class);
                    changeEverySetting(first, kind);
                    first.close();
                    try (Connection second = ds.getConnection()) {
                        return (second.unwrap(Connection.class) == raw ? "same connection, " : "another connection, ")
                                + (settings(second, kind).equals(before) ? "settings restored" : "settings " + settings(second, kind));
                    }
                })
                .build();
        try (ScenarioRunner runner = runner(scenario, kind)) {
            Execution run = runner.run(Explorer.follow(Schedule.parse("")));

            assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
            assertThat(returned(run, "A")).isEqualTo("same connection, settings restored");
        }
    }
}
