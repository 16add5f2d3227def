package dev.lockstep.testdb;

import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A reachable database server on which test databases are created and dropped: PostgreSQL or
 * MariaDB. Administrative statements go through the server's own URL; what that URL names is never
 * read or written.
 */
interface TestServer {

    /** Which kind of database the server's databases are. */
    DatabaseKind kind();

    /** E.g. {@code PostgreSQL 15.20 (throwaway cluster on 127.0.0.1:41234)}. */
    String description();

    /** Whether the server and everything on it disappears at JVM exit anyway. */
    boolean throwaway();

    /**
     * Creates an empty database.
     *
     * @return false if a database of that name already exists (left over by an earlier run)
     */
    boolean createDatabase(String name) throws SQLException;

    /** Drops the database, ending the sessions still connected to it; a missing database is fine. */
    void dropDatabase(String name) throws SQLException;

    /** A JDBC URL of {@code database}, credentials and session settings included. */
    String jdbcUrl(String database);

    /** A DataSource for test code on {@code database}: a new physical connection per call. */
    DataSource dataSource(String database);
}
