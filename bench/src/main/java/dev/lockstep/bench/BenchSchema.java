package dev.lockstep.bench;

import dev.lockstep.core.Database;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The tables a cell needs, installed for its subject, and emptied before each phase. */
final class BenchSchema {

    /** ShedLock's table, as its documentation gives it; the same text works on PostgreSQL and SQLite. */
    static final String SHEDLOCK_TABLE = "CREATE TABLE IF NOT EXISTS shedlock (name VARCHAR(64) NOT NULL, "
            + "lock_until TIMESTAMP NOT NULL, locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL, PRIMARY KEY (name))";

    private BenchSchema() {}

    /**
     * Installs what {@code subject} needs and empties every table. The partial unique index is dropped
     * first and installed again only for running-at-creation and raw JDBC: left in place it would stop
     * the naive guard's violations and do the other strategies' work for them.
     *
     * @return the database
     */
    static Database prepare(DataSource dataSource, Subject subject) throws SQLException {
        Database database = install(dataSource, schemaOf(subject));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(SHEDLOCK_TABLE);
        }
        empty(dataSource);
        return database;
    }

    /**
     * Installs lock-core's tables for {@code strategy}, with the partial unique index only for
     * running-at-creation (dropped first, so that a place used for another strategy does not keep it).
     *
     * @return the database
     */
    static Database install(DataSource dataSource, Strategy strategy) throws SQLException {
        Database database;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            database = Database.of(connection);
            statement.execute("DROP INDEX IF EXISTS lockstep_run_one_active_per_key");
        }
        Schema.install(dataSource, strategy);
        return database;
    }

    /**
     * Empties the tables so that every subject starts from the same state. On PostgreSQL with
     * {@code TRUNCATE}: a {@code DELETE} leaves the dead rows and their index entries to autovacuum,
     * so a subject measured after a busy one would probe the unique index past thousands of dead
     * entries of its key, and the order of subjects would show in their figures. SQLite's
     * {@code DELETE} without a {@code WHERE} drops the tables' pages already.
     */
    static void empty(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (Database.of(connection) == Database.POSTGRESQL) {
                statement.execute("TRUNCATE lockstep_run, lockstep_lease, shedlock");
                return;
            }
            statement.execute("DELETE FROM lockstep_run");
            statement.execute("DELETE FROM lockstep_lease");
            statement.execute("DELETE FROM shedlock");
        }
    }

    private static Strategy schemaOf(Subject subject) {
        return subject.strategy().orElse(subject == Subject.RAW_JDBC ? Strategy.RUNNING_AT_CREATION : Strategy.ADVISORY_LOCK);
    }
}
