package dev.lockstep.testdb;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The server named by a URL variable ({@code LOCKSTEP_POSTGRES_URL}, {@code LOCKSTEP_MARIADB_URL}):
 * used as it is, never started or stopped.
 *
 * @param <U> the URL taken apart
 * @param <S> the server
 */
final class UrlServerSource<U extends ServerUrl, S extends TestServer> implements ServerSource<S> {

    /** Connects to the server at a parsed URL; {@code origin} says where it comes from, for descriptions. */
    interface Connector<U, S> {
        S connect(U url, String origin) throws SQLException;
    }

    private final DatabaseKind kind;
    private final String variable;
    private final String url;
    private final Function<String, Optional<U>> parser;
    private final String expectedForm;
    private final Connector<U, S> connector;
    private final int connectTimeoutSeconds;
    private final PrintStream log;

    /**
     * @param variable the variable the URL comes from, for messages
     * @param expectedForm what a URL should look like, for the message when it is not one, e.g.
     *     {@code jdbc:postgresql://host:port/database?user=...&password=...}
     * @param connectTimeoutSeconds how long {@code connector} may take, for the message when it fails
     */
    UrlServerSource(DatabaseKind kind, String variable, String url, Function<String, Optional<U>> parser, String expectedForm,
            Connector<U, S> connector, int connectTimeoutSeconds, PrintStream log) {
        this.kind = kind;
        this.variable = variable;
        this.url = url;
        this.parser = parser;
        this.expectedForm = expectedForm;
        this.connector = connector;
        this.connectTimeoutSeconds = connectTimeoutSeconds;
        this.log = log;
    }

    @Override
    public String name() {
        return variable + "=" + parser.apply(url).map(ServerUrl::redacted).orElse(url);
    }

    @Override
    public ServerLookup<S> lookUp(ExitActions atExit) {
        Optional<U> parsed = parser.apply(url);
        if (parsed.isEmpty()) {
            return new ServerLookup.Missing<>("not a " + kind.displayName() + " JDBC URL (expected " + expectedForm + ")");
        }
        String origin = "server at " + parsed.get().hosts() + " from " + variable;
        try {
            S server = connector.connect(parsed.get(), origin);
            log.println("lockstep: using " + server.description() + " for " + kind.displayName() + " test databases");
            return new ServerLookup.Found<>(server);
        } catch (SQLException e) {
            return new ServerLookup.Missing<>("could not connect (time limit " + connectTimeoutSeconds + " s): "
                    + e.getMessage() + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"));
        }
    }
}
