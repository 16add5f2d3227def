package dev.lockstep.testdb;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A PostgreSQL test database: a fresh {@code CREATE DATABASE} on the provider's server, dropped on close. */
final class PostgresTestDatabase implements TestDatabase {

    private final PostgresServer server;
    private final String name;
    private final PGSimpleDataSource dataSource;
    private final ExitActions.Registration dropAtExit;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PostgresTestDatabase(PostgresServer server, String name, ExitActions atExit) {
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
    static PostgresTestDatabase create(PostgresServer server, DatabaseNames names, ExitActions atExit) {
        for (int attempt = 1; attempt <= DatabaseNames.ATTEMPTS; attempt++) {
            String name = names.next();
            try {
                if (server.createDatabase(name)) {
                    return new PostgresTestDatabase(server, name, atExit);
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
        return DatabaseKind.POSTGRESQL;
    }

    @Override
    public String jdbcUrl() {
        return server.urlOf(name).url();
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

    private static void drop(PostgresServer server, String name) {
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
