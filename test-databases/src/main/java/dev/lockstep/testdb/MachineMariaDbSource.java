package dev.lockstep.testdb;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The machine's own MariaDB service, as distribution packages install it: 127.0.0.1:3306, user
 * {@code root} without a password. Used as it is, never started or stopped; its existing databases
 * are never touched. PostgreSQL has no such source: its throwaway cluster needs no privileged
 * account, while a MariaDB service is where the development machines and CI of this project
 * already have one, cheaper than a throwaway server.
 */
final class MachineMariaDbSource implements ServerSource<MariaDbServer> {

    static final String HOST = "127.0.0.1:3306";
    static final String USER = "root";

    private final PrintStream log;

    MachineMariaDbSource(PrintStream log) {
        this.log = log;
    }

    @Override
    public String name() {
        return "the machine's MariaDB service (" + HOST + ", user " + USER + ", no password)";
    }

    @Override
    public ServerLookup<MariaDbServer> lookUp(ExitActions atExit) {
        MariaDbUrl url = new MariaDbUrl(HOST, Optional.empty(), new TreeMap<>(Map.of("user", USER)));
        try {
            MariaDbServer server = MariaDbServer.connect(url, "machine service on " + HOST, false);
            log.println("lockstep: using " + server.description() + " for MariaDB test databases");
            return new ServerLookup.Found<>(server);
        } catch (SQLException e) {
            return new ServerLookup.Missing<>("could not connect (time limit " + MariaDbServer.CONNECT_TIMEOUT_SECONDS
                    + " s): " + e.getMessage());
        }
    }
}
