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

/** PostgreSQL test databases from the JVM-wide provider, whatever server it found. */
class PostgresTestDatabaseIT {

    /** A database to look at the server from, e.g. at {@code pg_database}. */
    private static TestDatabase observer;

    @BeforeAll
    static void observe() {
        observer = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
    }

    @AfterAll
    static void stopObserving() {
        observer.close();
    }

    @Test
    void createsATableInsertsAndSelects() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.POSTGRESQL)) {
            Sql.execute(db.dataSource(), "create table run (id bigint primary key, run_key text not null, status text not null)");
            Sql.execute(db.dataSource(), "insert into run values (?, ?, ?), (?, ?, ?)", 1L, "/work/a", "running", 2L, "/work/b", "pending");

            assertThat(db.kind()).isEqualTo(DatabaseKind.POSTGRESQL);
            assertThat(Sql.single(db.dataSource(), "select run_key from run where status = 'running'")).isEqualTo("/work/a");
            assertThat(Sql.single(db.dataSource(), "select count(*) from run")).isEqualTo(2L);
            assertThat(db.description()).startsWith("PostgreSQL ").endsWith(", database " + currentDatabase(db));
        }
    }

    @Test
    void aNewDatabaseIsEmpty() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.POSTGRESQL)) {
            assertThat(Sql.single(db.dataSource(),
                    "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                            + " where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')")).isEqualTo(0L);
            assertThat(currentDatabase(db)).startsWith("lockstep_");
        }
    }

    @Test
    void everyGetConnectionIsANewSession() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
                Connection first = db.dataSource().getConnection();
                Connection second = db.dataSource().getConnection()) {
            assertThat(Sql.single(first, "select pg_backend_pid()")).isNotEqualTo(Sql.single(second, "select pg_backend_pid()"));
        }
    }

    @Test
    void twoDatabasesAreIsolated() throws SQLException {
        try (TestDatabase a = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
                TestDatabase b = TestDatabases.shared().create(DatabaseKind.POSTGRESQL)) {
            Sql.execute(a.dataSource(), "create table only_in_a (n int)");

            assertThat(currentDatabase(a)).isNotEqualTo(currentDatabase(b));
            assertThat(Sql.single(a.dataSource(), "select to_regclass('only_in_a') is not null")).isEqualTo(true);
            assertThat(Sql.single(b.dataSource(), "select to_regclass('only_in_a') is not null")).isEqualTo(false);
        }
    }

    @Test
    void theJdbcUrlReachesTheSameDatabase() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
                Connection viaUrl = DriverManager.getConnection(db.jdbcUrl())) {
            assertThat(Sql.single(viaUrl, "select current_database()")).isEqualTo(currentDatabase(db));
        }
    }

    @Test
    void closeDropsTheDatabaseEvenWithASessionStillOpenAndIsIdempotent() throws SQLException {
        TestDatabase db = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
        String name = currentDatabase(db);
        try (Connection forgotten = db.dataSource().getConnection()) {
            assertThat(databaseExists(name)).isTrue();

            db.close();
            db.close();

            assertThat(databaseExists(name)).isFalse();
            assertThatThrownBy(() -> Sql.single(forgotten, "select 1")).isInstanceOf(SQLException.class);
        }
        assertThatThrownBy(() -> db.dataSource().getConnection())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(name); // database "lockstep_..." does not exist
    }

    @Test
    void aUrlNamedByLockstepPostgresUrlIsUsedAsItIs() throws SQLException {
        // the shared server, named by URL: the URL branch without depending on any other server
        TestDatabases byUrl = TestDatabases.using(Map.of(
                "LOCKSTEP_POSTGRES_URL", observer.jdbcUrl(),
                "LOCKSTEP_REQUIRE_DATABASES", "postgres"));
        String name;
        try (TestDatabase db = byUrl.create(DatabaseKind.POSTGRESQL)) {
            name = currentDatabase(db);
            Sql.execute(db.dataSource(), "create table t (n int)");

            assertThat(db.description()).contains("from LOCKSTEP_POSTGRES_URL").endsWith(", database " + name);
            assertThat(name).isNotEqualTo(currentDatabase(observer));
            assertThat(databaseExists(name)).isTrue(); // same server as the observer's
            assertThat(Sql.single(observer.dataSource(), "select to_regclass('t') is null")).isEqualTo(true);
        }
        assertThat(databaseExists(name)).isFalse();
    }

    private static String currentDatabase(TestDatabase db) throws SQLException {
        return (String) Sql.single(db.dataSource(), "select current_database()");
    }

    private static boolean databaseExists(String name) throws SQLException {
        return (Boolean) Sql.single(observer.dataSource(), "select exists (select from pg_database where datname = ?)", name);
    }
}
