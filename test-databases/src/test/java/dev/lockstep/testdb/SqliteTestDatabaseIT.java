package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqliteTestDatabaseIT {

    private final TestDatabases databases = TestDatabases.shared();

    @Test
    void storesRowsInAWalModeFileWithABusyTimeout() throws SQLException {
        try (TestDatabase db = databases.create(DatabaseKind.SQLITE)) {
            Sql.execute(db.dataSource(), "create table run (id integer primary key, run_key text not null)");
            Sql.execute(db.dataSource(), "insert into run (id, run_key) values (?, ?)", 1, "/work/a");

            assertThat(db.kind()).isEqualTo(DatabaseKind.SQLITE);
            assertThat(Sql.single(db.dataSource(), "select run_key from run where id = 1")).isEqualTo("/work/a");
            assertThat(Sql.single(db.dataSource(), "pragma journal_mode")).isEqualTo("wal");
            assertThat(Sql.single(db.dataSource(), "pragma busy_timeout")).isEqualTo(5000);
            assertThat(db.description()).startsWith("SQLite 3.").contains("WAL", "busy timeout 5000 ms");
        }
    }

    @Test
    void theJdbcUrlReachesTheSameDatabaseWithTheSameSettings() throws SQLException {
        try (TestDatabase db = databases.create(DatabaseKind.SQLITE);
                Connection viaUrl = DriverManager.getConnection(db.jdbcUrl())) {
            Sql.execute(db.dataSource(), "create table marker (n integer)");
            Sql.execute(db.dataSource(), "insert into marker values (42)");

            assertThat(Sql.single(viaUrl, "select n from marker")).isEqualTo(42);
            assertThat(Sql.single(viaUrl, "pragma journal_mode")).isEqualTo("wal");
            assertThat(Sql.single(viaUrl, "pragma busy_timeout")).isEqualTo(5000);
        }
    }

    @Test
    void everyGetConnectionIsANewSession() throws SQLException {
        try (TestDatabase db = databases.create(DatabaseKind.SQLITE);
                Connection first = db.dataSource().getConnection();
                Connection second = db.dataSource().getConnection()) {
            Sql.execute(first, "create temporary table mine (n integer)"); // visible to its own session only

            assertThat(Sql.single(first, "select count(*) from temp.sqlite_master where name = 'mine'")).isEqualTo(1);
            assertThat(Sql.single(second, "select count(*) from temp.sqlite_master where name = 'mine'")).isEqualTo(0);
        }
    }

    @Test
    void twoDatabasesAreSeparateFiles() throws SQLException {
        try (TestDatabase a = databases.create(DatabaseKind.SQLITE);
                TestDatabase b = databases.create(DatabaseKind.SQLITE)) {
            Sql.execute(a.dataSource(), "create table only_in_a (n integer)");

            assertThat(a.jdbcUrl()).isNotEqualTo(b.jdbcUrl());
            assertThat(Sql.single(a.dataSource(), "select count(*) from sqlite_master where name = 'only_in_a'")).isEqualTo(1);
            assertThat(Sql.single(b.dataSource(), "select count(*) from sqlite_master")).isEqualTo(0);
        }
    }

    @Test
    void closeDeletesTheFilesAndIsIdempotent() throws SQLException {
        TestDatabase db = databases.create(DatabaseKind.SQLITE);
        Sql.execute(db.dataSource(), "create table t (n integer)");
        Path file = Path.of(db.jdbcUrl().substring("jdbc:sqlite:".length(), db.jdbcUrl().indexOf('?')));
        assertThat(file).exists();

        db.close();
        db.close();

        assertThat(file.getParent()).doesNotExist();
        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void aRequiredSqliteIsSimplyThere() throws SQLException {
        try (TestDatabase db = TestDatabases.using(Map.of("LOCKSTEP_REQUIRE_DATABASES", "sqlite"))
                .create(DatabaseKind.SQLITE)) {
            assertThat(Sql.single(db.dataSource(), "select 1")).isEqualTo(1);
        }
    }
}
