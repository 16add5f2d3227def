package dev.lockstep.harness.scheduler;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/** A SQLite and a PostgreSQL test database for one test class, each with the same tables. */
final class BothDatabases implements AutoCloseable {

    private final TestDatabase sqlite;
    private final TestDatabase postgres;

    private BothDatabases(TestDatabase sqlite, TestDatabase postgres) {
        this.sqlite = sqlite;
        this.postgres = postgres;
    }

    /** Both databases, with {@code ddl} run on each. */
    static BothDatabases create(String... ddl) throws SQLException {
        BothDatabases both = new BothDatabases(TestDatabases.shared().create(DatabaseKind.SQLITE),
                TestDatabases.shared().create(DatabaseKind.POSTGRESQL));
        for (DatabaseKind kind : List.of(DatabaseKind.SQLITE, DatabaseKind.POSTGRESQL)) {
            try (Connection c = both.of(kind).getConnection(); Statement s = c.createStatement()) {
                for (String statement : ddl) {
                    s.execute(statement);
                }
            }
        }
        return both;
    }

    DataSource of(DatabaseKind kind) {
        return kind == DatabaseKind.SQLITE ? sqlite.dataSource() : postgres.dataSource();
    }

    @Override
    public void close() {
        try {
            sqlite.close();
        } finally {
            postgres.close();
        }
    }
}
