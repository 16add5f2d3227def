package dev.lockstep.testdb;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A test database on a server (PostgreSQL or MariaDB): a fresh {@code CREATE DATABASE} on the
 * provider's server, dropped on close.
 */
final class ServerTestDatabase implements TestDatabase {

    private final TestServer server;
    private final String name;
    private final DataSource dataSource;
    private final ExitActions.Registration dropAtExit;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ServerTestDatabase(TestServer server, String name, ExitActions atExit) {
        this.server = server;
        this.name = name;
        this.dataSource = server.dataSource(name);
        // a throwaway server takes its databases with it; a server given by URL outlives the JVM,
        // so a database a test forgot to close is dropped at exit rather than left behind
        this.dropAtExit = server.throwaway()
                ? () -> {}
                : atExit.add("drop test database " + name + " on " + server.description(), () -> drop(server, name));
    }

    /**
     * Creates the database under the first free name the {@code names} supplier offers.
     *
     * @throws IllegalStateException if it could not be created
     */
    static ServerTestDatabase create(TestServer server, DatabaseNames names, ExitActions atExit) {
        for (int attempt = 1; attempt <= DatabaseNames.ATTEMPTS; attempt++) {
            String name = names.next();
            try {
                if (server.createDatabase(name)) {
                    return new ServerTestDatabase(server, name, atExit);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not create test database " + name + " on "
                        + server.description() + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("could not create a test database on " + server.description() + ": the "
                + DatabaseNames.ATTEMPTS + " names tried all exist already (left over by earlier runs? drop the"
                + " databases named lockstep_*)");
    }

    @Override
    public DatabaseKind kind() {
        return server.kind();
    }

    @Override
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    @Override
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public String description() {
        return server.description() + ", database " + name;
    }

    /** The database's name on the server. */
    String name() {
        return name;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            dropAtExit.cancel();
            drop(server, name);
        }
    }

    private static void drop(TestServer server, String name) {
        try {
            server.dropDatabase(name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test database " + name + " on "
                    + server.description() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return description();
    }
}
