package dev.lockstep.testdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * A reachable MariaDB server on which test databases are created and dropped. Administrative
 * statements go through the server's URL; the database it names, if any, is never read or written.
 *
 * <p>Test connections get the session lockstep runs MariaDB with (see {@code notes/mariadb.md}),
 * set by the driver when it connects, from options added to every test database's URL
 * ({@link #SESSION}), so {@code jdbcUrl()} and {@code dataSource()} connect alike:
 * <ul>
 *   <li>{@code transactionIsolation=READ-COMMITTED}: PostgreSQL's default, which the strategies are
 *       written for; the server's REPEATABLE READ adds gap-lock waits and stale guard reads;
 *   <li>{@code connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true}: the session's
 *       {@code time_zone} is {@code +00:00}, so times read in SQL are UTC, whatever the server's zone;
 *   <li>utf8mb4: the driver's only character set, nothing to set.
 * </ul>
 * Rows are counted as the driver does by default ("found", not "changed" rows), which the
 * compare-and-swap updates rely on: {@code useAffectedRows} is never set.
 */
final class MariaDbServer implements TestServer {

    /** Bounds connecting and logging in, for administration and for the first contact. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;
    /** Bounds every administrative statement ({@code CREATE DATABASE}, {@code DROP DATABASE}). */
    static final int STATEMENT_TIMEOUT_SECONDS = 60;

    /** The session settings of test connections, as driver options. */
    static final Map<String, String> SESSION = Map.of(
            "transactionIsolation", "READ-COMMITTED",
            "connectionTimeZone", "UTC",
            "forceConnectionTimeZoneToSession", "true");

    /** ER_DB_CREATE_EXISTS. */
    private static final int DATABASE_EXISTS = 1007;
    /** ER_NO_SUCH_THREAD: the session ended by itself before KILL reached it. */
    private static final int NO_SUCH_SESSION = 1094;

    private final MariaDbUrl adminUrl;
    private final String origin;
    private final String version;
    private final boolean throwaway;

    private MariaDbServer(MariaDbUrl adminUrl, String origin, String version, boolean throwaway) {
        this.adminUrl = adminUrl;
        this.origin = origin;
        this.version = version;
        this.throwaway = throwaway;
    }

    /**
     * Connects once to check the server is there and to learn its version.
     *
     * @param origin where the server comes from, for descriptions, e.g. {@code machine service on
     *     127.0.0.1:3306}
     * @param throwaway whether the server and everything on it disappears at JVM exit anyway
     * @throws SQLException when the server cannot be reached within {@link #CONNECT_TIMEOUT_SECONDS}
     */
    static MariaDbServer connect(MariaDbUrl url, String origin, boolean throwaway) throws SQLException {
        try (Connection connection = adminConnection(url);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT VERSION()")) {
            row.next();
            // e.g. "10.11.19-MariaDB-0+deb12u1": the number is what people compare
            return new MariaDbServer(url, origin, row.getString(1).split("-", 2)[0], throwaway);
        }
    }

    @Override
    public DatabaseKind kind() {
        return DatabaseKind.MARIADB;
    }

    /** E.g. {@code MariaDB 10.11.19 (machine service on 127.0.0.1:3306)}. */
    @Override
    public String description() {
        return "MariaDB " + version + " (" + origin + ")";
    }

    String version() {
        return version;
    }

    /** Where the server keeps its data ({@code @@datadir}), to tell one server from another on a port. */
    String dataDirectory() throws SQLException {
        try (Connection connection = adminConnection(adminUrl);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT @@datadir")) {
            row.next();
            return row.getString(1);
        }
    }

    @Override
    public boolean throwaway() {
        return throwaway;
    }

    /**
     * Creates an empty database in utf8mb4 with that character set's default collation, as a user's
     * database most likely has: a key column that needs {@code utf8mb4_nopad_bin} must say so in
     * its DDL, and a DDL that forgets it is caught here rather than hidden by a kinder default.
     */
    @Override
    public boolean createDatabase(String name) throws SQLException {
        try (Connection connection = adminConnection(adminUrl); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
            statement.execute("CREATE DATABASE " + quote(name) + " CHARACTER SET utf8mb4");
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == DATABASE_EXISTS) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Ends the sessions using the database (as PostgreSQL's {@code DROP DATABASE ... WITH (FORCE)}
     * does: a session with a transaction open on one of its tables would hold up the drop for the
     * server's {@code lock_wait_timeout}, a day by default), then drops it; a missing database is fine.
     */
    @Override
    public void dropDatabase(String name) throws SQLException {
        try (Connection connection = adminConnection(adminUrl); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
            statement.execute("SET SESSION lock_wait_timeout = " + STATEMENT_TIMEOUT_SECONDS);
            for (long session : sessionsUsing(connection, name)) {
                try {
                    statement.execute("KILL CONNECTION " + session);
                } catch (SQLException e) {
                    if (e.getErrorCode() != NO_SUCH_SESSION) {
                        throw e;
                    }
                }
            }
            statement.execute("DROP DATABASE IF EXISTS " + quote(name));
        }
    }

    private static List<Long> sessionsUsing(Connection connection, String database) throws SQLException {
        List<Long> sessions = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()")) {
            select.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
            select.setString(1, database);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sessions.add(rows.getLong(1));
                }
            }
        }
        return sessions;
    }

    @Override
    public String jdbcUrl(String database) {
        return adminUrl.withDatabase(database).with(SESSION).url();
    }

    /** A DataSource for test code: a new physical connection per call, no timeouts imposed. */
    @Override
    public MariaDbDataSource dataSource(String database) {
        try {
            return new MariaDbDataSource(jdbcUrl(database));
        } catch (SQLException e) { // the URL was parsed before; only a driver change could refuse it now
            throw new IllegalStateException("the MariaDB driver refused " + adminUrl.withDatabase(database).redacted(), e);
        }
    }

    private static Connection adminConnection(MariaDbUrl url) throws SQLException {
        // connectTimeout bounds connecting and the handshake; socketTimeout is a backstop behind the
        // statement timeouts, for a server that stops answering altogether
        MariaDbDataSource dataSource = new MariaDbDataSource(url.with(Map.of(
                "connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS * 1000),
                "socketTimeout", String.valueOf((STATEMENT_TIMEOUT_SECONDS + CONNECT_TIMEOUT_SECONDS) * 1000))).url());
        return dataSource.getConnection();
    }

    private static String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }
}
