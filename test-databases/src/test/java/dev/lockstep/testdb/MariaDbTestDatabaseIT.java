package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MariaDB test databases from the JVM-wide provider, whatever server it found; beside the contract,
 * the session lockstep runs MariaDB with, read back from the server and seen at work.
 */
class MariaDbTestDatabaseIT extends ServerTestDatabaseContract {

    MariaDbTestDatabaseIT() {
        super(DatabaseKind.MARIADB, TestDatabases.MARIADB_URL_VARIABLE);
    }

    @Override
    String currentDatabaseSql() {
        return "select database()";
    }

    @Override
    String sessionIdSql() {
        return "select connection_id()";
    }

    @Override
    String tableExistsSql() {
        return "select count(*) from information_schema.TABLES where TABLE_SCHEMA = database() and TABLE_NAME = ?";
    }

    @Override
    String databaseExistsSql() {
        return "select count(*) from information_schema.SCHEMATA where SCHEMA_NAME = ?";
    }

    @Test
    void aNewDatabaseIsEmptyAndUtf8mb4() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.MARIADB)) {
            assertThat(Sql.single(db.dataSource(),
                    "select count(*) from information_schema.TABLES where TABLE_SCHEMA = database()")).isEqualTo(0L);
            assertThat(Sql.single(db.dataSource(), "select DEFAULT_CHARACTER_SET_NAME from information_schema.SCHEMATA"
                    + " where SCHEMA_NAME = database()")).isEqualTo("utf8mb4");
        }
    }

    @Test
    void everyConnectionIsReadCommittedInUtcAndUtf8mb4() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.MARIADB);
                Connection connection = db.dataSource().getConnection()) {
            assertThat(sessionSettings(connection)).containsExactlyEntriesOf(expectedSession());
            assertThat(connection.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
            assertThat(Sql.single(connection, "select timestampdiff(second, utc_timestamp(), now())")).isEqualTo(0L);
        }
    }

    @Test
    void theJdbcUrlConnectsWithTheSameSession() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.MARIADB);
                Connection viaUrl = DriverManager.getConnection(db.jdbcUrl())) {
            assertThat(sessionSettings(viaUrl)).containsExactlyEntriesOf(expectedSession());
            assertThat(db.jdbcUrl()).startsWith("jdbc:mariadb://").doesNotContain("useAffectedRows");
        }
    }

    @Test
    void readCommittedReallyApplies_aTransactionSeesRowsOthersCommitted() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.MARIADB);
                Connection reader = db.dataSource().getConnection();
                Connection writer = db.dataSource().getConnection()) {
            Sql.execute(writer, "create table run (id bigint primary key) engine=InnoDB");
            reader.setAutoCommit(false);
            assertThat(Sql.single(reader, "select count(*) from run")).isEqualTo(0L); // REPEATABLE READ's snapshot would start here

            Sql.execute(writer, "insert into run values (1)");

            assertThat(Sql.single(reader, "select count(*) from run")).isEqualTo(1L); // REPEATABLE READ would still say 0
            reader.rollback();
        }
    }

    @Test
    void updateCountsAreFoundRowsNotChangedRows() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.MARIADB);
                Connection connection = db.dataSource().getConnection()) {
            Sql.execute(connection, "create table run (id bigint primary key, fence bigint not null) engine=InnoDB");
            Sql.execute(connection, "insert into run values (1, 7)");

            try (PreparedStatement unchanged = connection.prepareStatement("update run set fence = fence where id = 1")) {
                assertThat(unchanged.executeUpdate()).isEqualTo(1); // useAffectedRows=true would give 0
            }
        }
    }

    @Test
    void aServerNamedByUrlGetsTheSameSession() throws SQLException {
        TestDatabases byUrl = TestDatabases.using(Map.of(
                TestDatabases.MARIADB_URL_VARIABLE, observer().jdbcUrl().replace("READ-COMMITTED", "SERIALIZABLE"),
                TestDatabases.REQUIRE_DATABASES_VARIABLE, "mariadb"));
        try (TestDatabase db = byUrl.create(DatabaseKind.MARIADB); Connection connection = db.dataSource().getConnection()) {
            assertThat(sessionSettings(connection)).containsExactlyEntriesOf(expectedSession());
        }
    }

    private static Map<String, Object> sessionSettings(Connection connection) throws SQLException {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String variable : expectedSession().keySet()) {
            settings.put(variable, Sql.single(connection, "select " + variable));
        }
        return settings;
    }

    private static Map<String, Object> expectedSession() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("@@session.tx_isolation", "READ-COMMITTED");
        expected.put("@@session.time_zone", "+00:00");
        expected.put("@@session.character_set_client", "utf8mb4");
        expected.put("@@session.character_set_connection", "utf8mb4");
        expected.put("@@session.character_set_results", "utf8mb4");
        return expected;
    }
}
