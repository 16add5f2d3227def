package dev.lockstep.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * A scratch database of its own on the machine's MariaDB ({@code LOCKSTEP_MARIADB_URL}, else
 * 127.0.0.1:3306 as root), dropped on close: lock-core's MariaDB tests until the test-database provider
 * hands MariaDB out. Skipped, loudly, when no server answers, unless {@code LOCKSTEP_REQUIRE_DATABASES}
 * names mariadb.
 */
final class MariaDbScratch implements AutoCloseable {

    private static final String SERVER = System.getenv().getOrDefault("LOCKSTEP_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/?user=root");

    private final String name;
    private final MariaDbDataSource dataSource;

    private MariaDbScratch(String name, MariaDbDataSource dataSource) {
        this.name = name;
        this.dataSource = dataSource;
    }

    static MariaDbScratch create() {
        String name = "lockstep_core_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try {
            execute(new MariaDbDataSource(SERVER), "CREATE DATABASE " + name);
            String url = SERVER.replaceFirst("/(\\?|$)", "/" + name + "$1");
            return new MariaDbScratch(name, new MariaDbDataSource(url));
        } catch (SQLException e) {
            String required = System.getenv().getOrDefault("LOCKSTEP_REQUIRE_DATABASES", "");
            if (required.toLowerCase(java.util.Locale.ROOT).contains("mariadb")) {
                throw new IllegalStateException("MariaDB is required but " + SERVER + " did not answer: " + e.getMessage(), e);
            }
            System.err.println("SKIPPED: no MariaDB at " + SERVER + ": " + e.getMessage());
            Assumptions.abort("no MariaDB at " + SERVER + ": " + e.getMessage());
            throw new AssertionError("unreachable");
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    void execute(String sql) throws SQLException {
        execute(dataSource, sql);
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        execute(new MariaDbDataSource(SERVER), "DROP DATABASE IF EXISTS " + name);
    }
}
