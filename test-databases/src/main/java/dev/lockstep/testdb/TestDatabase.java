package dev.lockstep.testdb;

import javax.sql.DataSource;

/**
 * One isolated, initially empty database for one test class, handed out by
 * {@link TestDatabases#create(DatabaseKind)}.
 *
 * <p>Nothing is shared with other test databases: a SQLite database is its own file in its own
 * temporary directory, a PostgreSQL or MariaDB database is a fresh {@code CREATE DATABASE} on the
 * provider's server. Close it when the test class is done (try-with-resources or {@code @AfterAll}); what is
 * left open is cleaned up at JVM exit.
 */
public interface TestDatabase extends AutoCloseable {

    /** Which database this is. */
    DatabaseKind kind();

    /**
     * A JDBC URL that reaches this database with the same settings as {@link #dataSource()}
     * (including credentials, if the server needs them).
     */
    String jdbcUrl();

    /**
     * A DataSource that opens a <em>new physical connection</em> on every
     * {@code getConnection()}: there is no pool, so each actor of a race really has its own
     * session.
     */
    DataSource dataSource();

    /**
     * What and where this database is, for test output, e.g. {@code PostgreSQL 15.20 (throwaway
     * cluster on 127.0.0.1:41234), database lockstep_4711_7}.
     */
    String description();

    /**
     * Drops the database (PostgreSQL, MariaDB) or deletes its files (SQLite). Idempotent: later calls do
     * nothing.
     *
     * @throws IllegalStateException if the database could not be dropped or deleted
     */
    @Override
    void close();
}
