package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** PostgreSQL test databases from the JVM-wide provider, whatever server it found. */
class PostgresTestDatabaseIT extends ServerTestDatabaseContract {

    PostgresTestDatabaseIT() {
        super(DatabaseKind.POSTGRESQL, TestDatabases.POSTGRES_URL_VARIABLE);
    }

    @Override
    String currentDatabaseSql() {
        return "select current_database()";
    }

    @Override
    String sessionIdSql() {
        return "select pg_backend_pid()";
    }

    @Override
    String tableExistsSql() {
        return "select to_regclass(?) is not null";
    }

    @Override
    String databaseExistsSql() {
        return "select exists (select from pg_database where datname = ?)";
    }

    @Test
    void aNewDatabaseIsEmpty() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.POSTGRESQL)) {
            assertThat(Sql.single(db.dataSource(),
                    "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                            + " where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')")).isEqualTo(0L);
        }
    }
}
