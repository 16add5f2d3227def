package dev.lockstep.harness.scheduler;

import dev.lockstep.dsl.Invariant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A scenario's invariants, evaluated on an observer connection (autocommit, outside every actor's
 * transaction): the one evaluation behind the scheduled runs ({@link ScenarioRunner}) and stress mode.
 *
 * <ol>
 *   <li>The invariants are evaluated in the order the scenario declares them, and the first that does
 *       not hold is the answer; before the end, the final-only ones are skipped.
 *   <li>A {@link Invariant.Check} does not hold when its probe returns false.
 *   <li>A {@link Invariant.Sql} does not hold when its query returns rows; its first ten rows are the
 *       evidence, as {@code column=value} pairs.
 *   <li>A query is prepared on the observer the first time it is evaluated and kept until {@link #close}:
 *       it runs after most steps of every run, and preparing it each time costs more than running it.
 *       A query containing {@code ?} runs as a plain statement instead, since a prepared statement would
 *       read the {@code ?} as a parameter (PostgreSQL's jsonb operators are written so).
 * </ol>
 *
 * <p>Used by one thread at a time, like its connection; closing it leaves the observer open.
 */
public final class Invariants implements AutoCloseable {

    private static final int EVIDENCE_ROWS = 10;

    /** An invariant that does not hold, and what shows it. */
    public record Violation(Invariant invariant, String evidence) {
        public Violation {
            Objects.requireNonNull(invariant, "invariant");
            Objects.requireNonNull(evidence, "evidence");
        }
    }

    private final List<Invariant> invariants;
    private final Connection observer;
    /** Each SQL invariant's statement on the observer, by identity of the invariant. */
    private final Map<Invariant.Sql, PreparedStatement> statements = new IdentityHashMap<>();

    public Invariants(List<Invariant> invariants, Connection observer) {
        this.invariants = List.copyOf(invariants);
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * The first invariant that does not hold now.
     *
     * @param atEnd whether every actor has finished, so that the final-only invariants are evaluated too
     * @throws SQLException when an invariant could not be evaluated; its message names that invariant
     */
    public Optional<Violation> firstViolation(boolean atEnd) throws SQLException {
        for (Invariant invariant : invariants) {
            if (invariant.finalOnly() && !atEnd) {
                continue;
            }
            Optional<String> evidence;
            try {
                evidence = violation(invariant);
            } catch (SQLException e) {
                throw new SQLException("checking invariant '" + invariant.description() + "' failed: " + e.getMessage(),
                        e.getSQLState(), e.getErrorCode(), e);
            }
            if (evidence.isPresent()) {
                return Optional.of(new Violation(invariant, evidence.get()));
            }
        }
        return Optional.empty();
    }

    /** Closes the statements prepared for the invariants (the observer connection stays open). */
    @Override
    public void close() {
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                // best effort: closing the observer connection closes them too
            }
        }
        statements.clear();
    }

    private Optional<String> violation(Invariant invariant) throws SQLException {
        if (invariant instanceof Invariant.Check check) {
            return check.probe().holds(observer) ? Optional.empty() : Optional.of("the check returned false");
        }
        Invariant.Sql sql = (Invariant.Sql) invariant;
        if (sql.query().indexOf('?') >= 0) {
            try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery(sql.query())) {
                return evidence(rs);
            }
        }
        try (ResultSet rs = prepared(sql).executeQuery()) {
            return evidence(rs);
        }
    }

    private PreparedStatement prepared(Invariant.Sql invariant) throws SQLException {
        PreparedStatement statement = statements.get(invariant);
        if (statement == null) {
            statement = observer.prepareStatement(invariant.query());
            statements.put(invariant, statement);
        }
        return statement;
    }

    /** The first rows of {@code rs}; empty when it has none. */
    private static Optional<String> evidence(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        StringBuilder evidence = new StringBuilder();
        int rows = 0;
        while (rows < EVIDENCE_ROWS && rs.next()) {
            evidence.append(rows++ == 0 ? "" : "; ");
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                evidence.append(i == 1 ? "" : ", ").append(meta.getColumnLabel(i)).append('=').append(rs.getObject(i));
            }
        }
        return rows == 0 ? Optional.empty() : Optional.of(evidence.toString());
    }
}
