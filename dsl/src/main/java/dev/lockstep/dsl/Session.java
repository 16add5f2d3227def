package dev.lockstep.dsl;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * An isolationtester-style actor: a fixed list of SQL statements run in order on one connection,
 * each with the result it is expected to have. An error does not stop the session (as in
 * isolationtester): it is recorded as that step's SQLSTATE and the next step runs.
 */
public record Session(List<Step> steps) {

    public Session {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a session needs at least one step");
        }
    }

    /** One statement and what it should come to. */
    public record Step(String sql, Expected expected) {
        public Step {
            Objects.requireNonNull(sql, "sql");
            Objects.requireNonNull(expected, "expected");
        }
    }

    /** The expected result of a step. */
    public sealed interface Expected {
        /** Anything but an error. */
        record Succeeds() implements Expected {}

        /** A query returning exactly this many rows. */
        record Rows(int count) implements Expected {}

        /** An update of exactly this many rows. */
        record UpdateCount(int count) implements Expected {}

        /** The database makes the step wait for another actor before it completes (successfully or not). */
        record Blocks() implements Expected {}

        /** The step fails with this SQLSTATE. */
        record SqlState(String state) implements Expected {}
    }

    /** What a step did: rows returned or rows updated, or the SQLSTATE it failed with. */
    public record StepResult(String sql, Integer rows, Integer updateCount, String sqlState, String error) {

        public boolean failed() {
            return error != null;
        }

        @Override
        public String toString() {
            if (failed()) {
                return "ERROR " + sqlState + ": " + error;
            }
            return rows != null ? rows + " row" + (rows == 1 ? "" : "s") : updateCount + " updated";
        }
    }

    /** Runs the steps in order on one connection of {@code dataSource}. */
    public List<StepResult> run(DataSource dataSource) throws SQLException {
        List<StepResult> results = new ArrayList<>(steps.size());
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (Step step : steps) {
                results.add(execute(statement, step.sql()));
            }
        }
        return results;
    }

    private static StepResult execute(Statement statement, String sql) {
        try {
            if (statement.execute(sql)) {
                int rows = 0;
                try (ResultSet rs = statement.getResultSet()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
                return new StepResult(sql, rows, null, null, null);
            }
            return new StepResult(sql, null, statement.getUpdateCount(), null, null);
        } catch (SQLException e) {
            return new StepResult(sql, null, null, e.getSQLState(), e.getMessage());
        }
    }

    /** Builds a session one step at a time; each {@code expectX} applies to the step just added. */
    public static final class Builder {
        private final List<Step> steps = new ArrayList<>();

        Builder() {}

        public Builder step(String sql) {
            steps.add(new Step(sql, new Expected.Succeeds()));
            return this;
        }

        public Builder expectRows(int count) {
            return expect(new Expected.Rows(count));
        }

        public Builder expectUpdateCount(int count) {
            return expect(new Expected.UpdateCount(count));
        }

        public Builder expectBlocks() {
            return expect(new Expected.Blocks());
        }

        public Builder expectSqlState(String state) {
            return expect(new Expected.SqlState(state));
        }

        private Builder expect(Expected expected) {
            if (steps.isEmpty()) {
                throw new IllegalStateException("add a step before saying what it should return");
            }
            Step last = steps.remove(steps.size() - 1);
            steps.add(new Step(last.sql(), expected));
            return this;
        }

        Session build() {
            return new Session(steps);
        }
    }
}
