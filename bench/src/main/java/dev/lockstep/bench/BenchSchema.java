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
            statement.execute(BenchSql.of(database).shedlockTable());
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
            statement.execute(BenchSql.of(database).dropOneActiveIndex());
        }
        Schema.install(dataSource, strategy);
        return database;
    }

    /**
     * Empties the tables so that every subject starts from the same state, the way {@link BenchSql} says
     * for the database: on the server databases by making the tables anew, so that no subject meets the
     * dead index entries of the one measured before it.
     */
    static void empty(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : BenchSql.of(Database.of(connection)).emptyTables()) {
                statement.execute(sql);
            }
        }
    }

    private static Strategy schemaOf(Subject subject) {
        return subject.strategy().orElse(subject == Subject.RAW_JDBC ? Strategy.RUNNING_AT_CREATION : Strategy.ADVISORY_LOCK);
    }
}
