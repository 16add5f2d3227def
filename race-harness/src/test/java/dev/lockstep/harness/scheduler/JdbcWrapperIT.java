package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Actor;
import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Exploration;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The actor's JDBC wrapper keeps the contract it wraps, one rule per test: what the actor leaves open
 * is closed; the wrappers lead back to the wrappers; {@code setAutoCommit(true)} that commits is a
 * yield point; settings changed through JDBC are in the trace and restored before the next run; a
 * prepared statement kept for reuse (SQLite) behaves as a fresh one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcWrapperIT {

    private TestedDatabases databases;

    @BeforeAll
    void databases() throws Exception {
        databases = TestedDatabases.create("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
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
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
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
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
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

    // --- SET TRANSACTION is a trace line, not a yield point ---------------------------------------------

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"POSTGRESQL", "MARIADB"}) // SQLite has no SET TRANSACTION
    void setTransactionIsATraceLineOfTheActorAndAddsNoSchedules(DatabaseKind kind) {
        // PostgreSQL takes it as the first statement of a transaction, MariaDB before one (it sets the next)
        List<String> withMode = kind == DatabaseKind.POSTGRESQL
                ? List.of("BEGIN", "SET TRANSACTION ISOLATION LEVEL READ COMMITTED", "SELECT name FROM item WHERE id = 1", "COMMIT")
                : List.of("SET TRANSACTION ISOLATION LEVEL READ COMMITTED", "START TRANSACTION", "SELECT name FROM item WHERE id = 1", "COMMIT");
        List<String> without = withMode.stream().filter(sql -> !sql.startsWith("SET")).toList();

        Exploration explored = exploreAll(transactions("with SET TRANSACTION", withMode), kind);
        Exploration plain = exploreAll(transactions("without", without), kind);

        assertThat(explored.complete()).isTrue();
        assertThat(explored.runs()).isEqualTo(plain.runs()).isEqualTo(20); // 3 yield points each: (3 + 3)! / (3! 3!)
        try (ScenarioRunner runner = runner(transactions("with SET TRANSACTION", withMode), kind)) {
            Execution run = runner.run(Explorer.follow(Schedule.parse("A A A B B B")));
            List<String> lines = TraceLines.of(run);
            assertThat(lines).contains("A SET TRANSACTION ISOLATION LEVEL READ COMMITTED", "B SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
            assertThat(lines).filteredOn(line -> line.matches("\\d+ .*")).hasSize(6).noneMatch(line -> line.contains("SET TRANSACTION"));
        }
    }

    private static Scenario transactions(String name, List<String> statements) {
        Actor.Body body = ds -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
            return null;
        };
        return Race.scenario(name).setupSql("DELETE FROM item", "INSERT INTO item (id, name) VALUES (1, 'one')")
                .actor("A", body).actor("B", body).build();
    }

    private Exploration exploreAll(Scenario scenario, DatabaseKind kind) {
        try (ScenarioRunner runner = runner(scenario, kind)) {
            return Explorer.exhaustive(1_000).keepGoing().explore(runner);
        }
    }

    // --- rule 2: the wrappers lead back to the wrappers -----------------------------------------------

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL"}) // its SQL is SQLite's or PostgreSQL's (PRAGMA, ::TEXT, a key not generated); MariaDB needs its own
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
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
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
            // each step is sent from insertThenAutoCommit: the inserts from one line, the commits from a later one
            List<String> sites = run.trace().events().stream().filter(TraceEvent.Step.class::isInstance)
                    .map(e -> ((TraceEvent.Step) e).callSite()).toList();
            assertThat(sites).allSatisfy(site -> assertThat(site).startsWith("JdbcWrapperIT.insertThenAutoCommit(JdbcWrapperIT.java:"));
            assertThat(sites.get(2)).isEqualTo(sites.get(0));
            assertThat(sites.get(3)).isEqualTo(sites.get(1)).isNotEqualTo(sites.get(0));
            String insertAt = "at " + sites.get(0).substring(sites.get(0).indexOf('(') + 1, sites.get(0).length() - 1);
            String commitAt = "at " + sites.get(1).substring(sites.get(1).indexOf('(') + 1, sites.get(1).length() - 1);
            String report = TraceReport.of("commit by setAutoCommit", runner.databaseDescription(), run).withColumnWidth(30).render();
            assertThat(report).contains("""
                    # | A                              | B
                    --+--------------------------------+-------------------------------
                      | setAutoCommit(false)           |
                      |                                | setAutoCommit(false)
                    0 | INSERT INTO item (id, name)    |
                      |   VALUES (?, 'x')              |
                      | %1$-30s |
                      |   (insertThenAutoCommit)       |
                      | [?1=1]                         |
                      | → updated 1                    |
                    1 | COMMIT (setAutoCommit(true))   |
                      | %2$-30s |
                      |   (insertThenAutoCommit)       |
                      | → ok                           |
                      | = returned inserted            |
                    2 |                                | INSERT INTO item (id, name)
                      |                                |   VALUES (?, 'x')
                      |                                | %1$s
                      |                                |   (insertThenAutoCommit)
                      |                                | [?1=2]
                      |                                | → updated 1
                    3 |                                | COMMIT (setAutoCommit(true))
                      |                                | %2$s
                      |                                |   (insertThenAutoCommit)
                      |                                | → ok
                      |                                | = returned inserted
                    >>> invariant broken: at most one item
                    """.formatted(insertAt, commitAt));
            assertThat(report).contains("  after step 3: B COMMIT (setAutoCommit(true))\n");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
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
                    "A setAutoCommit(true)", // the calls that leave the mode as it is are not shown
                    "0 A BEGIN -> ok",
                    "1 A INSERT INTO item (id, name) VALUES (1, 'one') -> updated 1",
                    "= A");
        }
    }

    @Test
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
                    "1 A COMMIT -> ok",
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
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL"}) // its SQL is SQLite's or PostgreSQL's (PRAGMA, ::TEXT, a key not generated); MariaDB needs its own
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
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL"}) // its SQL is SQLite's or PostgreSQL's (PRAGMA, ::TEXT, a key not generated); MariaDB needs its own
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

    // --- rule 5: a prepared statement kept for reuse (SQLite) is indistinguishable from a fresh one ---------

    /**
     * The driver's statement behind a wrapper, told apart by the driver's result set, which sqlite-jdbc
     * keeps one of per statement: unwrapping a result set spoils nothing, unwrapping the statement would.
     */
    private static Object driverStatement(ResultSet rows) throws SQLException {
        return rows.unwrap(ResultSet.class);
    }

    @Test
    void onSqliteAStatementClosedPlainlyIsHandedOutAgainForItsSql() {
        String sql = "SELECT name FROM item WHERE id = ?";
        Scenario scenario = Race.scenario("kept statements")
                .setupSql("DELETE FROM item", "INSERT INTO item (id, name) VALUES (1, 'one'), (2, 'two')")
                .actor("A", ds -> {
                    List<Object> seen = new ArrayList<>();
                    try (Connection c = ds.getConnection()) {
                        Object first;
                        try (PreparedStatement s = c.prepareStatement(sql)) {
                            s.setInt(1, 1);
                            try (ResultSet rs = s.executeQuery()) {
                                first = driverStatement(rs);
                                rs.next();
                                seen.add(rs.getString(1));
                            }
                        }
                        try (PreparedStatement again = c.prepareStatement(sql);
                             PreparedStatement meanwhile = c.prepareStatement(sql)) {
                            again.setInt(1, 2);
                            meanwhile.setInt(1, 1);
                            try (ResultSet rs = again.executeQuery(); ResultSet other = meanwhile.executeQuery()) {
                                seen.add(driverStatement(rs) == first ? "same" : "new");
                                seen.add(driverStatement(other) == first ? "same" : "new"); // the kept one is in use
                                rs.next();
                                seen.add(rs.getString(1));
                            }
                        }
                    }
                    return seen;
                })
                .build();
        try (ScenarioRunner runner = runner(scenario, DatabaseKind.SQLITE)) {
            for (int i = 0; i < 2; i++) {
                Execution run = runner.run(Explorer.follow(Schedule.parse("A A A")));

                assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
                assertThat(returned(run, "A")).as("run %d", i + 1).isEqualTo(List.of("one", "same", "new", "two"));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL"}) // its SQL is SQLite's or PostgreSQL's (PRAGMA, ::TEXT, a key not generated); MariaDB needs its own
    void aStatementHandedOutAgainStartsWithNoParametersAsAFreshOneDoes(DatabaseKind kind) {
        String sql = "SELECT CAST(? AS TEXT) IS NULL";
        Scenario scenario = Race.scenario("no parameters left")
                .actor("A", ds -> {
                    try (Connection c = ds.getConnection()) {
                        try (PreparedStatement s = c.prepareStatement(sql)) {
                            s.setString(1, "x");
                            s.executeQuery().close();
                        }
                        return unbound(c, sql) + " / " + unbound(c, sql + " "); // the second SQL text was never prepared before
                    }
                })
                .build();
        try (ScenarioRunner runner = runner(scenario, kind)) {
            for (int i = 0; i < 2; i++) {
                Execution run = runner.run(Explorer.follow(Schedule.parse("A A A")));

                assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
                String[] answers = ((String) returned(run, "A")).split(" / ");
                assertThat(answers[0]).as("run %d: a reused statement answers as a fresh one", i + 1).isEqualTo(answers[1]);
                assertThat(answers[0]).doesNotContain("false"); // "x" is not bound any more
            }
        }
    }

    /** What executing {@code sql} without binding its parameter comes to: a value read, or the error's class. */
    private static String unbound(Connection c, String sql) {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return String.valueOf(rs.getBoolean(1));
        } catch (SQLException e) {
            return "refused";
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void aClosedStatementAndItsResultSetStayClosedWhenItsSqlIsPreparedAgain(DatabaseKind kind) {
        String sql = "SELECT name FROM item WHERE id = ?";
        Scenario scenario = Race.scenario("closed stays closed")
                .setupSql("DELETE FROM item", "INSERT INTO item (id, name) VALUES (1, 'one'), (2, 'two')")
                .actor("A", ds -> {
                    List<Object> seen = new ArrayList<>();
                    try (Connection c = ds.getConnection()) {
                        PreparedStatement first = c.prepareStatement(sql);
                        first.setInt(1, 1);
                        ResultSet firstRows = first.executeQuery();
                        first.close();
                        try (PreparedStatement second = c.prepareStatement(sql)) {
                            second.setInt(1, 2);
                            try (ResultSet rows = second.executeQuery()) {
                                seen.add(first.isClosed());
                                seen.add(firstRows.isClosed());
                                seen.add(refused(() -> {
                                    first.setInt(1, 1);
                                    return null;
                                }));
                                seen.add(refused(firstRows::next));
                                rows.next();
                                seen.add(rows.getString(1));
                            }
                        }
                    }
                    return seen;
                })
                .build();
        try (ScenarioRunner runner = runner(scenario, kind)) {
            Execution run = runner.run(Explorer.follow(Schedule.parse("A A")));

            assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
            assertThat(returned(run, "A")).isEqualTo(List.of(true, true, "refused", "refused", "two"));
        }
    }

    @FunctionalInterface
    private interface JdbcCall {
        Object call() throws SQLException;
    }

    private static String refused(JdbcCall call) {
        try {
            return "answered " + call.call();
        } catch (SQLException e) {
            return "refused";
        }
    }

    @Test
    void onSqliteAStatementWhoseSettingsTheActorChangedIsNotHandedOutAgain() {
        String sql = "SELECT id FROM item ORDER BY id";
        Scenario scenario = Race.scenario("changed settings")
                .setupSql("DELETE FROM item", "INSERT INTO item (id, name) VALUES (1, 'one'), (2, 'two')")
                .actor("A", ds -> {
                    try (Connection c = ds.getConnection()) {
                        Object first;
                        try (PreparedStatement s = c.prepareStatement(sql)) {
                            s.setMaxRows(1);
                            try (ResultSet rs = s.executeQuery()) {
                                first = driverStatement(rs);
                            }
                        }
                        try (PreparedStatement again = c.prepareStatement(sql); ResultSet rs = again.executeQuery()) {
                            int rows = 0;
                            while (rs.next()) {
                                rows++;
                            }
                            return (driverStatement(rs) == first ? "same" : "new") + ", max rows " + again.getMaxRows() + ", " + rows + " rows";
                        }
                    }
                })
                .build();
        try (ScenarioRunner runner = runner(scenario, DatabaseKind.SQLITE)) {
            Execution run = runner.run(Explorer.follow(Schedule.parse("A A")));

            assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
            assertThat(returned(run, "A")).isEqualTo("new, max rows 0, 2 rows");
        }
    }

    @Test
    void onSqliteAKeptStatementSeesTheSchemaChangesMadeAfterItWasPreparedByAnActorOrTheSetup() {
        String sql = "SELECT * FROM reshaped";
        int[] setups = {0};
        Scenario scenario = Race.scenario("schema changes")
                .setup(c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("DROP TABLE IF EXISTS reshaped");
                        // every other run's table is two columns wider: the setup changes the schema between runs
                        s.execute(setups[0]++ % 2 == 0 ? "CREATE TABLE reshaped (a INTEGER)" : "CREATE TABLE reshaped (a INTEGER, b INTEGER, c INTEGER)");
                        s.execute("INSERT INTO reshaped (a) VALUES (1)");
                    }
                })
                .actor("A", ds -> {
                    try (Connection c = ds.getConnection()) {
                        String before = columns(c, sql);
                        try (Statement s = c.createStatement()) {
                            s.execute("ALTER TABLE reshaped ADD COLUMN z INTEGER"); // and the actor changes it within the run
                        }
                        return before + " then " + columns(c, sql);
                    }
                })
                .build();
        try (ScenarioRunner runner = runner(scenario, DatabaseKind.SQLITE)) {
            for (int i = 0; i < 4; i++) {
                Execution run = runner.run(Explorer.follow(Schedule.parse("A A A")));

                assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
                assertThat(returned(run, "A")).as("run %d", i + 1).isEqualTo(i % 2 == 0 ? "1 then 2" : "3 then 4");
            }
        }
    }

    /** How many columns {@code sql} returns, as the result set of a prepared statement says. */
    private static String columns(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            return String.valueOf(rs.getMetaData().getColumnCount());
        }
    }
}
