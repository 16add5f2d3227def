package dev.lockstep.contract;

import dev.lockstep.core.TableNames;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The schema a fixture's configured table names live in, made for the fixture and dropped after it. */
final class TableSchemas {

    private TableSchemas() {}

    /**
     * Makes {@code tables}' schema on {@code database} if it has one: a PostgreSQL schema in the fixture's own
     * database, or a MariaDB database on the fixture's server (one left by an earlier, killed run is dropped
     * first). Closing it drops what was made; without a schema it does nothing.
     */
    static AutoCloseable create(TestDatabase database, TableNames tables) throws SQLException {
        String schema = tables.schema();
        if (schema == null) {
            return () -> {};
        }
        String kind = database.kind() == DatabaseKind.MARIADB ? "DATABASE" : "SCHEMA";
        if (database.kind() == DatabaseKind.MARIADB) {
            execute(database, "DROP DATABASE IF EXISTS " + schema);
        }
        execute(database, "CREATE " + kind + " " + schema);
        return () -> execute(database, "DROP " + kind + " IF EXISTS " + schema + (database.kind() == DatabaseKind.MARIADB ? "" : " CASCADE"));
    }

    private static void execute(TestDatabase database, String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
