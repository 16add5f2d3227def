package dev.lockstep.dsl;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * An isolationtester-style actor: a fixed list of SQL statements run in order on one connection,
 * each with what it is expected to come to. An error does not stop the session (as in
 * isolationtester): it is recorded as that step's result and the next step runs.
 *
 * <p>A session may set its connection's isolation level, and may have setup statements, which run
 * first, before its steps, as steps that are expected to succeed (isolationtester's per-session
 * {@code setup}). Named steps can be put in an order with {@link Scenario.Builder#permutation}.
 *
 * @param isolation the {@link Connection}{@code .TRANSACTION_*} level set on the connection before the
 *                  first statement, or null to leave the database's default
 * @param setup     statements run first, each expected to succeed
 * @param steps     the steps, in the order the session runs them
 * @param exact     whether a step may wait only where an expectation says so: true for the sessions of a
 *                  permutation, whose order fixes every wait (as isolationtester's expected output does);
 *                  false where an explorer varies the order, so that a step waits in some runs only
 */
public record Session(Integer isolation, List<Step> setup, List<Step> steps, boolean exact) {

    private static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    public Session {
        setup = List.copyOf(setup);
        steps = List.copyOf(steps);
        if (setup.isEmpty() && steps.isEmpty()) {
            throw new IllegalArgumentException("a session needs at least one step");
        }
    }

    /** The steps without setup or isolation level. */
    public Session(List<Step> steps) {
        this(null, List.of(), steps, false);
    }

    /** Every statement the session sends, in order: its setup, then its steps. */
    public List<Step> statements() {
        return Stream.concat(setup.stream(), steps.stream()).toList();
    }

    /** This session with only {@code chosen} as its steps, in that order (its setup and isolation level kept), and exact. */
    Session permuted(List<Step> chosen) {
        return new Session(isolation, setup, chosen, true);
    }

    /**
     * One statement and what it should come to.
     *
     * @param name     the step's name, unique in its scenario, or null (a setup statement, or a step
     *                 of a session that is never put in a permutation)
     * @param expected every expectation of the step, all of which must hold; empty: it must succeed
     */
    public record Step(String name, String sql, List<Expected> expected) {
        public Step {
            Objects.requireNonNull(sql, "sql");
            expected = List.copyOf(expected);
            if (name != null && !STEP_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("step name '" + name
                        + "' must be 1 to 32 letters, digits or _ . - (it is written into permutations such as 's1a s2a s1c')");
            }
        }

        /** Whether some expectation says the step fails (a SQLSTATE, an error code or a message). */
        public boolean expectsError() {
            return expected.stream().anyMatch(Expected::aboutError);
        }

        /** Whether the step is expected to wait for another session first. */
        public boolean expectsToWait() {
            return expected.stream().anyMatch(e -> e instanceof Expected.Blocks || e instanceof Expected.CompletesAfter);
        }

        /** {@code s1ae 'LOCK TABLE a1 ...'}, or the statement alone for an unnamed step. */
        public String label() {
            return name == null ? "'" + sql + "'" : name + " '" + sql + "'";
        }
    }

    /** One thing a step should come to; a step may have one of each kind. */
    public sealed interface Expected {

        /** A query returning exactly this many rows. */
        record Rows(int count) implements Expected {}

        /**
         * A query returning exactly these rows, in order; each row is its column values separated by
         * {@code |}, as {@link #text} writes a value (e.g. {@code X|0} for {@code ('X', 0)}).
         */
        record Values(List<String> rows) implements Expected {
            public Values {
                rows = List.copyOf(rows);
            }
        }

        /** An update of exactly this many rows. */
        record UpdateCount(int count) implements Expected {}

        /** The database makes the step wait for another session before it completes (successfully or not). */
        record Blocks() implements Expected {}

        /**
         * The step waits, and is still waiting when the step named {@code step} (of another session) is
         * sent and has come to its result: it completes only after that one (isolationtester's {@code s1a(s2b)}).
         */
        record CompletesAfter(String step) implements Expected {
            public CompletesAfter {
                Objects.requireNonNull(step, "step");
            }
        }

        /** The step fails with this SQLSTATE. */
        record SqlState(String state) implements Expected {
            public SqlState {
                Objects.requireNonNull(state, "state");
            }
        }

        /**
         * The step fails with this vendor error code ({@link SQLException#getErrorCode()}): the way to
         * tell errors apart where the driver gives no SQLSTATE (sqlite-jdbc: 5 is {@code SQLITE_BUSY}).
         */
        record ErrorCode(int code) implements Expected {}

        /** The step fails with a message in which this regular expression is found (e.g. which kind of 40001). */
        record Message(String pattern) implements Expected {
            public Message {
                Pattern.compile(Objects.requireNonNull(pattern, "pattern"));
            }
        }

        /** Whether this expectation says the step fails. */
        default boolean aboutError() {
            return this instanceof SqlState || this instanceof ErrorCode || this instanceof Message;
        }

        /** Whether this expectation is about what a successful step returned. */
        default boolean aboutResult() {
            return this instanceof Rows || this instanceof Values || this instanceof UpdateCount;
        }

        /** A value as {@link Values} rows write it: {@code null}, a number without exponent, or its text. */
        static String text(Object value) {
            if (value instanceof BigDecimal decimal) {
                return decimal.toPlainString();
            }
            return String.valueOf(value);
        }
    }

    /**
     * What a step did: the rows it returned (with their values) or the rows it updated, or the error it
     * failed with.
     *
     * @param values    the rows returned, each as its column values, or null when the step returned no result set
     * @param errorCode the vendor error code of a failure, 0 otherwise
     */
    public record StepResult(String sql, Integer rows, List<List<Object>> values, Integer updateCount,
                             String sqlState, int errorCode, String error) {

        public boolean failed() {
            return error != null;
        }

        /** The rows returned written as {@link Expected.Values} expects them, e.g. {@code [X|0, Y|20]}. */
        public List<String> valueRows() {
            if (values == null) {
                return List.of();
            }
            return values.stream().map(row -> String.join("|", row.stream().map(Expected::text).toList())).toList();
        }

        @Override
        public String toString() {
            if (failed()) {
                return "ERROR" + (sqlState != null ? " " + sqlState : "") + (errorCode != 0 ? " (code " + errorCode + ")" : "") + ": " + error;
            }
            return rows != null ? rows + " row" + (rows == 1 ? "" : "s") + (rows > 0 ? " " + valueRows() : "")
                    : updateCount + " updated";
        }
    }

    /** Runs the setup, then the steps, in order on one connection of {@code dataSource}. */
    public List<StepResult> run(DataSource dataSource) throws SQLException {
        List<Step> statements = statements();
        List<StepResult> results = new ArrayList<>(statements.size());
        try (Connection connection = dataSource.getConnection()) {
            if (isolation != null) {
                connection.setTransactionIsolation(isolation);
            }
            try (Statement statement = connection.createStatement()) {
                for (Step step : statements) {
                    results.add(execute(statement, step.sql()));
                }
            }
        }
        return results;
    }

    private static StepResult execute(Statement statement, String sql) {
        try {
            if (statement.execute(sql)) {
                List<List<Object>> rows = new ArrayList<>();
                try (ResultSet rs = statement.getResultSet()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        List<Object> row = new ArrayList<>(columns);
                        for (int c = 1; c <= columns; c++) {
                            row.add(rs.getObject(c));
                        }
                        rows.add(row);
                    }
                }
                return new StepResult(sql, rows.size(), rows, null, null, 0, null);
            }
            return new StepResult(sql, null, null, statement.getUpdateCount(), null, 0, null);
        } catch (SQLException e) {
            return new StepResult(sql, null, null, null, e.getSQLState(), e.getErrorCode(), e.getMessage());
        }
    }

    /**
     * What is wrong with {@code actual} as the result of {@code step} of this session, or null when every
     * expectation holds; {@code waited} says whether the step waited for another session, and
     * {@code completedAfter} whether it came to its result after the named step did.
     */
    public String mismatch(Step step, StepResult actual, boolean waited, Predicate<String> completedAfter) {
        List<String> problems = new ArrayList<>();
        if (!step.expectsError() && actual.failed()) {
            problems.add("expected success, got " + actual);
        }
        if (step.expectsError() && !actual.failed()) {
            problems.add("expected an error, got " + actual);
        }
        if (exact && waited && !step.expectsToWait()) {
            problems.add("waited for another session, which no expectation says");
        }
        for (Expected expected : step.expected()) {
            String problem = problem(expected, actual, waited, completedAfter);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static String problem(Expected expected, StepResult actual, boolean waited, Predicate<String> completedAfter) {
        if (expected instanceof Expected.Blocks) {
            return waited ? null : "expected to wait for another session, but it did not";
        }
        if (expected instanceof Expected.CompletesAfter after) {
            return !waited ? "expected to wait until " + after.step() + " had run, but it did not wait"
                    : completedAfter.test(after.step()) ? null : "expected to complete after " + after.step() + ", but it completed before";
        }
        if (expected.aboutError() != actual.failed()) {
            return null; // said once, by the caller: an error where a result was expected, or the other way round
        }
        if (expected instanceof Expected.SqlState state) {
            return state.state().equals(actual.sqlState()) ? null : "expected SQLSTATE " + state.state() + ", got " + actual;
        }
        if (expected instanceof Expected.ErrorCode code) {
            return code.code() == actual.errorCode() ? null : "expected error code " + code.code() + ", got " + actual;
        }
        if (expected instanceof Expected.Message message) {
            return Pattern.compile(message.pattern()).matcher(actual.error()).find() ? null
                    : "expected a message matching /" + message.pattern() + "/, got " + actual;
        }
        if (expected instanceof Expected.Rows rows) {
            return actual.rows() != null && actual.rows() == rows.count() ? null : "expected " + rows.count() + " rows, got " + actual;
        }
        if (expected instanceof Expected.Values values) {
            return actual.rows() != null && actual.valueRows().equals(values.rows()) ? null
                    : "expected rows " + values.rows() + ", got " + actual;
        }
        Expected.UpdateCount count = (Expected.UpdateCount) expected;
        return actual.updateCount() != null && actual.updateCount() == count.count() ? null
                : "expected " + count.count() + " updated, got " + actual;
    }

    /**
     * Builds a session one step at a time; each {@code expectX} adds to what the step just added should
     * come to, and a step may have one expectation of each kind.
     */
    public static final class Builder {
        private Integer isolation;
        private final List<Step> setup = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();
        private final Map<Class<?>, Expected> last = new LinkedHashMap<>();

        Builder() {}

        /** The isolation level ({@link Connection}{@code .TRANSACTION_*}) set on the session's connection before anything else. */
        public Builder isolation(int level) {
            if (level != Connection.TRANSACTION_READ_UNCOMMITTED && level != Connection.TRANSACTION_READ_COMMITTED
                    && level != Connection.TRANSACTION_REPEATABLE_READ && level != Connection.TRANSACTION_SERIALIZABLE) {
                throw new IllegalArgumentException("isolation level " + level + " is not one of Connection.TRANSACTION_READ_UNCOMMITTED,"
                        + " _READ_COMMITTED, _REPEATABLE_READ or _SERIALIZABLE");
            }
            isolation = level;
            return this;
        }

        /** Statements run before the steps, each expected to succeed (e.g. {@code BEGIN}). */
        public Builder setup(String... statements) {
            if (!steps.isEmpty()) {
                throw new IllegalStateException("a session's setup comes before its steps");
            }
            for (String sql : statements) {
                setup.add(new Step(null, sql, List.of()));
            }
            return this;
        }

        /** An unnamed step, expected to succeed unless an {@code expectX} follows. */
        public Builder step(String sql) {
            return add(null, sql);
        }

        /** A named step (names are unique in a scenario), expected to succeed unless an {@code expectX} follows. */
        public Builder step(String name, String sql) {
            return add(Objects.requireNonNull(name, "step name"), sql);
        }

        private Builder add(String name, String sql) {
            steps.add(new Step(name, sql, List.of()));
            last.clear();
            return this;
        }

        public Builder expectRows(int count) {
            return expect(new Expected.Rows(count));
        }

        /** Exactly these rows, in order, each its column values separated by {@code |} (e.g. {@code "X|0", "Y|20"}). */
        public Builder expectValues(String... rows) {
            return expect(new Expected.Values(List.of(rows)));
        }

        public Builder expectUpdateCount(int count) {
            return expect(new Expected.UpdateCount(count));
        }

        public Builder expectBlocks() {
            return expect(new Expected.Blocks());
        }

        /** Waits, and completes only once the step named {@code step} of another session has been sent and come to its result. */
        public Builder expectCompletesAfter(String step) {
            return expect(new Expected.CompletesAfter(step));
        }

        public Builder expectSqlState(String state) {
            return expect(new Expected.SqlState(state));
        }

        public Builder expectErrorCode(int code) {
            return expect(new Expected.ErrorCode(code));
        }

        /** Fails with a message in which the regular expression {@code pattern} is found. */
        public Builder expectMessage(String pattern) {
            return expect(new Expected.Message(pattern));
        }

        private Builder expect(Expected expected) {
            if (steps.isEmpty()) {
                throw new IllegalStateException("add a step before saying what it should come to");
            }
            Step step = steps.get(steps.size() - 1);
            if (last.containsKey(expected.getClass())) {
                throw new IllegalStateException("step " + step.label() + " already expects " + last.get(expected.getClass()));
            }
            if (expected.aboutError() && last.values().stream().anyMatch(Expected::aboutResult)
                    || expected.aboutResult() && last.values().stream().anyMatch(Expected::aboutError)) {
                throw new IllegalStateException("step " + step.label() + " cannot both fail and return a result: it expects "
                        + last.values() + " and " + expected);
            }
            last.put(expected.getClass(), expected);
            List<Expected> all = new ArrayList<>(step.expected());
            all.add(expected);
            steps.set(steps.size() - 1, new Step(step.name(), step.sql(), all));
            return this;
        }

        Session build() {
            return new Session(isolation, setup, steps, false);
        }
    }
}
