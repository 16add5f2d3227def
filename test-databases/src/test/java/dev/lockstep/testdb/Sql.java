package dev.lockstep.testdb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Tiny JDBC helpers for the tests: each call on its own connection, closed before returning. */
final class Sql {

    private Sql() {}

    static void execute(DataSource dataSource, String sql, Object... arguments) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            execute(connection, sql, arguments);
        }
    }

    static void execute(Connection connection, String sql, Object... arguments) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, arguments)) {
            statement.execute();
        }
    }

    /** The first column of the only row. */
    static Object single(DataSource dataSource, String sql, Object... arguments) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return single(connection, sql, arguments);
        }
    }

    static Object single(Connection connection, String sql, Object... arguments) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, arguments);
                ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                throw new AssertionError("no row from: " + sql);
            }
            Object value = rows.getObject(1);
            if (rows.next()) {
                throw new AssertionError("more than one row from: " + sql);
            }
            return value;
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... arguments) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < arguments.length; i++) {
            statement.setObject(i + 1, arguments[i]);
        }
        return statement;
    }
}
