package dev.lockstep.testdb;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Optional;

/** The server named by {@code LOCKSTEP_POSTGRES_URL}: used as it is, never started or stopped. */
final class UrlPostgresSource implements PostgresSource {

    private final String url;
    private final PrintStream log;

    UrlPostgresSource(String url, PrintStream log) {
        this.url = url;
        this.log = log;
    }

    @Override
    public String name() {
        Optional<PostgresUrl> parsed = PostgresUrl.parse(url);
        return TestDatabases.POSTGRES_URL_VARIABLE + "=" + parsed.map(PostgresUrl::redacted).orElse(url);
    }

    @Override
    public PostgresLookup lookUp(ExitActions atExit) {
        Optional<PostgresUrl> parsed = PostgresUrl.parse(url);
        if (parsed.isEmpty()) {
            return new PostgresLookup.Missing("not a PostgreSQL JDBC URL (expected"
                    + " jdbc:postgresql://host:port/database?user=...&password=...)");
        }
        String origin = "server at " + parsed.get().hosts() + " from " + TestDatabases.POSTGRES_URL_VARIABLE;
        try {
            PostgresServer server = PostgresServer.connect(parsed.get(), origin, false);
            log.println("lockstep: using " + server.description() + " for PostgreSQL test databases");
            return new PostgresLookup.Found(server);
        } catch (SQLException e) {
            return new PostgresLookup.Missing("could not connect (time limit "
                    + PostgresServer.CONNECT_TIMEOUT_SECONDS + " s): " + e.getMessage()
                    + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"));
        }
    }
}
