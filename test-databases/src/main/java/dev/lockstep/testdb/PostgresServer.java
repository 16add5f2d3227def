package dev.lockstep.testdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A reachable PostgreSQL server on which test databases are created and dropped. Administrative
 * statements go through the maintenance database named by the server's URL; its contents are never
 * read or written.
 */
final class PostgresServer implements TestServer {

    /** Bounds connecting and logging in, for administration and for the first contact. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;
    /** Bounds every administrative statement ({@code CREATE DATABASE}, {@code DROP DATABASE}). */
    static final int STATEMENT_TIMEOUT_SECONDS = 60;

    private static final String DUPLICATE_DATABASE = "42P04";

    private final PostgresUrl maintenanceUrl;
    private final String origin;
    private final String version;
    private final int majorVersion;
    private final boolean throwaway;

    private PostgresServer(PostgresUrl maintenanceUrl, String origin, String version, int majorVersion,
            boolean throwaway) {
        this.maintenanceUrl = maintenanceUrl;
        this.origin = origin;
        this.version = version;
        this.majorVersion = majorVersion;
        this.throwaway = throwaway;
    }

    /**
     * Connects once to check the server is there and to learn its version.
     *
     * @param origin where the server comes from, for descriptions, e.g. {@code throwaway cluster on
     *     127.0.0.1:41234}
     * @param throwaway whether the server and everything on it disappears at JVM exit anyway
     * @throws SQLException when the server cannot be reached within {@link #CONNECT_TIMEOUT_SECONDS}
     */
    static PostgresServer connect(PostgresUrl maintenanceUrl, String origin, boolean throwaway) throws SQLException {
        try (Connection connection = adminDataSource(maintenanceUrl).getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("show server_version")) {
            row.next();
            // e.g. "15.20 (Debian 15.20-0+deb12u1)": the number is what people compare
            String version = row.getString(1).split(" ", 2)[0];
            int majorVersion = connection.getMetaData().getDatabaseMajorVersion();
            return new PostgresServer(maintenanceUrl, origin, version, majorVersion, throwaway);
        }
    }

    @Override
    public DatabaseKind kind() {
        return DatabaseKind.POSTGRESQL;
    }

    /** E.g. {@code PostgreSQL 15.20 (throwaway cluster on 127.0.0.1:41234)}. */
    @Override
    public String description() {
        return "PostgreSQL " + version + " (" + origin + ")";
    }

    String version() {
        return version;
    }

    @Override
    public boolean throwaway() {
        return throwaway;
    }

    PostgresUrl urlOf(String database) {
        return maintenanceUrl.withDatabase(database);
    }

    @Override
    public String jdbcUrl(String database) {
        return urlOf(database).url();
    }

    /**
     * Creates an empty database from {@code template0}, so nothing a user added to
     * {@code template1} leaks in.
     *
     * @return false if a database of that name already exists (left over by an earlier run)
     */
    @Override
    public boolean createDatabase(String name) throws SQLException {
        try (Connection connection = adminDataSource(maintenanceUrl).getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
            statement.execute("create database " + quote(name) + " template template0");
            return true;
        } catch (SQLException e) {
            if (DUPLICATE_DATABASE.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** Drops the database, ending the sessions still connected to it; a missing database is fine. */
    @Override
    public void dropDatabase(String name) throws SQLException {
        try (Connection connection = adminDataSource(maintenanceUrl).getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
            if (majorVersion >= 13) {
                statement.execute("drop database if exists " + quote(name) + " with (force)");
                return;
            }
            // before 13 there is no FORCE: end the sessions ourselves; none can start meanwhile
            // except the test's own, and a test that still connects after close() deserves the error
            try (PreparedStatement terminate = connection.prepareStatement(
                    "select pg_terminate_backend(pid) from pg_stat_activity where datname = ? and pid <> pg_backend_pid()")) {
                terminate.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
                terminate.setString(1, name);
                terminate.executeQuery().close();
            }
            statement.execute("drop database if exists " + quote(name));
        }
    }

    /** A DataSource for test code: a new physical connection per call, no timeouts imposed. */
    @Override
    public PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(urlOf(database).url());
        return dataSource;
    }

    private static PGSimpleDataSource adminDataSource(PostgresUrl url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url.url());
        dataSource.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
        dataSource.setLoginTimeout(CONNECT_TIMEOUT_SECONDS);
        // a backstop behind the statement timeouts, for a server that stops answering altogether
        dataSource.setSocketTimeout(STATEMENT_TIMEOUT_SECONDS + CONNECT_TIMEOUT_SECONDS);
        return dataSource;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
