package dev.lockstep.harness.scheduler;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** A SQLite, a PostgreSQL and a MariaDB test database for one test class, each with the same tables. */
final class TestedDatabases implements AutoCloseable {

    private static final List<DatabaseKind> KINDS = List.of(DatabaseKind.SQLITE, DatabaseKind.POSTGRESQL, DatabaseKind.MARIADB);

    private final Map<DatabaseKind, TestDatabase> databases = new EnumMap<>(DatabaseKind.class);

    private TestedDatabases() {}

    /** Every database, with {@code ddl} run on each. */
    static TestedDatabases create(String... ddl) throws SQLException {
        TestedDatabases all = new TestedDatabases();
        try {
            for (DatabaseKind kind : KINDS) {
                all.databases.put(kind, TestDatabases.shared().create(kind));
                try (Connection c = all.of(kind).getConnection(); Statement s = c.createStatement()) {
                    for (String statement : ddl) {
                        s.execute(statement);
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            all.close();
            throw e;
        }
        return all;
    }

    DataSource of(DatabaseKind kind) {
        return databases.get(kind).dataSource();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (TestDatabase database : databases.values()) {
            try {
                database.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
