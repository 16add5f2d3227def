package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every server's test databases do, whatever server the JVM-wide provider found: one subclass
 * per kind, which says how its SQL asks the same questions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerTestDatabaseContract {

    private final DatabaseKind kind;
    private final String urlVariable;
    /** A database to look at the server from, e.g. at its catalog of databases. */
    private TestDatabase observer;

    ServerTestDatabaseContract(DatabaseKind kind, String urlVariable) {
        this.kind = kind;
        this.urlVariable = urlVariable;
    }

    /** The database the connection is in. */
    abstract String currentDatabaseSql();

    /** The connection's server session id. */
    abstract String sessionIdSql();

    /** Whether a table of that name exists in the connection's database; one parameter, the name. */
    abstract String tableExistsSql();

    /** Whether a database of that name exists on the server; one parameter, the name. */
    abstract String databaseExistsSql();

    @BeforeAll
    void observe() {
        observer = TestDatabases.shared().create(kind);
    }

    @AfterAll
    void stopObserving() {
        observer.close();
    }

    /** The observer, for a subclass's own questions about the server. */
    TestDatabase observer() {
        return observer;
    }

    @Test
    void createsATableInsertsAndSelects() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(kind)) {
            Sql.execute(db.dataSource(), "create table run (id bigint primary key, run_key varchar(1024) not null,"
                    + " status varchar(16) not null)");
            Sql.execute(db.dataSource(), "insert into run values (?, ?, ?), (?, ?, ?)", 1L, "/work/a", "running", 2L, "/work/b", "pending");

            assertThat(db.kind()).isEqualTo(kind);
            assertThat(Sql.single(db.dataSource(), "select run_key from run where status = 'running'")).isEqualTo("/work/a");
            assertThat(Sql.single(db.dataSource(), "select count(*) from run")).isEqualTo(2L);
            assertThat(db.description()).startsWith(kind.displayName() + " ").endsWith(", database " + currentDatabase(db));
            assertThat(currentDatabase(db)).startsWith("lockstep_" + ProcessHandle.current().pid() + "_");
        }
    }

    @Test
    void everyGetConnectionIsANewSession() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(kind);
                Connection first = db.dataSource().getConnection();
                Connection second = db.dataSource().getConnection()) {
            assertThat(Sql.single(first, sessionIdSql())).isNotEqualTo(Sql.single(second, sessionIdSql()));
        }
    }

    @Test
    void twoDatabasesAreIsolated() throws SQLException {
        try (TestDatabase a = TestDatabases.shared().create(kind); TestDatabase b = TestDatabases.shared().create(kind)) {
            Sql.execute(a.dataSource(), "create table only_in_a (n int)");

            assertThat(currentDatabase(a)).isNotEqualTo(currentDatabase(b));
            assertThat(tableExists(a, "only_in_a")).isTrue();
            assertThat(tableExists(b, "only_in_a")).isFalse();
        }
    }

    @Test
    void theJdbcUrlReachesTheSameDatabase() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(kind); Connection viaUrl = DriverManager.getConnection(db.jdbcUrl())) {
            assertThat(Sql.single(viaUrl, currentDatabaseSql())).isEqualTo(currentDatabase(db));
        }
    }

    @Test
    void closeDropsTheDatabaseEvenWithATransactionStillOpenOnItAndIsIdempotent() throws SQLException {
        TestDatabase db = TestDatabases.shared().create(kind);
        String name = currentDatabase(db);
        Sql.execute(db.dataSource(), "create table t (n int)");
        try (Connection forgotten = db.dataSource().getConnection()) {
            forgotten.setAutoCommit(false);
            Sql.execute(forgotten, "insert into t values (1)"); // a transaction open on t, holding its locks
            assertThat(databaseExists(name)).isTrue();

            db.close();
            db.close();

            assertThat(databaseExists(name)).isFalse();
            assertThatThrownBy(() -> Sql.single(forgotten, "select 1")).isInstanceOf(SQLException.class);
        }
        assertThatThrownBy(() -> db.dataSource().getConnection())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(name); // no database of that name
    }

    @Test
    void aServerNamedByItsUrlVariableIsUsedAsItIs() throws SQLException {
        // the shared server, named by URL: the URL branch without depending on any other server
        TestDatabases byUrl = TestDatabases.using(Map.of(
                urlVariable, observer.jdbcUrl(),
                TestDatabases.REQUIRE_DATABASES_VARIABLE, kind.names().get(0)));
        String name;
        try (TestDatabase db = byUrl.create(kind)) {
            name = currentDatabase(db);
            Sql.execute(db.dataSource(), "create table t (n int)");

            assertThat(db.description()).contains("from " + urlVariable).endsWith(", database " + name);
            assertThat(name).isNotEqualTo(currentDatabase(observer));
            assertThat(databaseExists(name)).isTrue(); // same server as the observer's
            assertThat(tableExists(observer, "t")).isFalse();
        }
        assertThat(databaseExists(name)).isFalse();
    }

    String currentDatabase(TestDatabase db) throws SQLException {
        return (String) Sql.single(db.dataSource(), currentDatabaseSql());
    }

    private boolean tableExists(TestDatabase db, String table) throws SQLException {
        return truth(Sql.single(db.dataSource(), tableExistsSql(), table));
    }

    private boolean databaseExists(String name) throws SQLException {
        return truth(Sql.single(observer.dataSource(), databaseExistsSql(), name));
    }

    /** A boolean as the driver gives it: a Boolean (PostgreSQL) or 1 and 0 (MariaDB has no boolean type). */
    private static boolean truth(Object value) {
        return value instanceof Boolean truth ? truth : switch (((Number) value).intValue()) {
            case 1 -> true;
            case 0 -> false;
            default -> throw new AssertionError("not a truth value: " + value);
        };
    }
}
