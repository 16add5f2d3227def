package dev.lockstep.harness.scheduler;

import dev.lockstep.dsl.Expectation;
import dev.lockstep.dsl.Invariant;
import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Outcomes;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Session;
import dev.lockstep.harness.explore.Verdict;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The promises of a scenario, checked on the runner's observer connection: invariants (after a step
 * or at the end), expectations over the actors' outcomes, and the expected result of each step of an
 * isolationtester-style session.
 */
final class ScenarioChecks {

    private final Scenario scenario;
    private final Connection observer;
    /** Each SQL invariant's statement on the observer, by identity of the invariant. */
    private final Map<Invariant.Sql, PreparedStatement> statements = new IdentityHashMap<>();

    ScenarioChecks(Scenario scenario, Connection observer) {
        this.scenario = scenario;
        this.observer = observer;
    }

    /** The first invariant that does not hold after decision {@code afterStep} (-1 and {@code atEnd}: once all finished). */
    Optional<Verdict> invariants(int afterStep, boolean atEnd) {
        for (Invariant invariant : scenario.invariants()) {
            if (invariant.finalOnly() && !atEnd) {
                continue;
            }
            try {
                Optional<String> evidence = violation(invariant);
                if (evidence.isPresent()) {
                    return Optional.of(new Verdict.InvariantBroken(invariant.description(), afterStep, evidence.get()));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("checking invariant '" + invariant.description() + "' failed: " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    /** Once every actor has finished: invariants, then expectations, then each session's steps. */
    Verdict atEnd(Outcomes outcomes, List<StepDraft.Step> steps) {
        Optional<Verdict> broken = invariants(-1, true);
        if (broken.isPresent()) {
            return broken.get();
        }
        for (Expectation expectation : scenario.expectations()) {
            if (!expectation.test().test(outcomes)) {
                return new Verdict.ExpectationFailed(expectation.description());
            }
        }
        return sessionExpectations(outcomes, steps).orElse(new Verdict.Passed());
    }

    /**
     * Whether the session of {@code actor} expected its statement number {@code index} (counted from 0)
     * to fail with {@code sqlState}: a deadlock the scenario itself predicts is not a failure.
     */
    boolean sessionExpects(String actor, int index, String sqlState) {
        Session session = scenario.actors().stream().filter(a -> a.name().equals(actor)).findFirst().orElseThrow().session();
        return session != null && index < session.steps().size()
                && session.steps().get(index).expected() instanceof Session.Expected.SqlState state && state.state().equals(sqlState);
    }

    /** The expected result of every isolationtester-style step, blocking included (read from the steps as traced). */
    private Optional<Verdict> sessionExpectations(Outcomes outcomes, List<StepDraft.Step> steps) {
        for (var actor : scenario.actors()) {
            Session session = actor.session();
            if (session == null) {
                continue;
            }
            if (!(outcomes.of(actor.name()) instanceof Outcome.Returned returned) || !(returned.value() instanceof List<?> results)) {
                return Optional.of(new Verdict.ExpectationFailed("session " + actor.name() + " did not run to its end: "
                        + outcomes.of(actor.name()).label()));
            }
            List<StepDraft.Step> own = steps.stream().filter(s -> s.actor.equals(actor.name())).toList();
            for (int i = 0; i < session.steps().size(); i++) {
                Session.Step expected = session.steps().get(i);
                Session.StepResult actual = (Session.StepResult) results.get(i);
                boolean waited = i < own.size() && own.get(i).waited;
                String problem = mismatch(expected.expected(), actual, waited);
                if (problem != null) {
                    return Optional.of(new Verdict.ExpectationFailed("session " + actor.name() + " step " + (i + 1) + " '"
                            + expected.sql() + "': " + problem));
                }
            }
        }
        return Optional.empty();
    }

    private static String mismatch(Session.Expected expected, Session.StepResult actual, boolean waited) {
        if (expected instanceof Session.Expected.SqlState state) {
            return state.state().equals(actual.sqlState()) ? null : "expected SQLSTATE " + state.state() + ", got " + actual;
        }
        if (actual.failed()) {
            return "expected success, got " + actual;
        }
        if (expected instanceof Session.Expected.Rows rows) {
            return actual.rows() != null && actual.rows() == rows.count() ? null : "expected " + rows.count() + " rows, got " + actual;
        }
        if (expected instanceof Session.Expected.UpdateCount count) {
            return actual.updateCount() != null && actual.updateCount() == count.count() ? null
                    : "expected " + count.count() + " updated, got " + actual;
        }
        if (expected instanceof Session.Expected.Blocks) {
            return waited ? null : "expected to wait for another session, but it did not";
        }
        return null;
    }

    /**
     * The statement of {@code invariant}, prepared on the observer the first time it is checked and
     * kept for the runner's lifetime: it is checked after most steps of every run, and preparing it
     * each time costs more than running it.
     */
    private PreparedStatement prepared(Invariant.Sql invariant) throws SQLException {
        PreparedStatement statement = statements.get(invariant);
        if (statement == null) {
            statement = observer.prepareStatement(invariant.query());
            statements.put(invariant, statement);
        }
        return statement;
    }

    /** Closes the invariants' statements (the observer connection stays open). */
    void close() {
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
            // a PreparedStatement would read it as a parameter (PostgreSQL's jsonb operators are written so)
            try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery(sql.query())) {
                return evidence(rs);
            }
        }
        try (ResultSet rs = prepared(sql).executeQuery()) {
            return evidence(rs);
        }
    }

    /** The first rows of {@code rs}, as evidence of a broken invariant; empty when it has none. */
    private static Optional<String> evidence(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        StringBuilder evidence = new StringBuilder();
        int rows = 0;
        while (rs.next() && rows < 10) {
            evidence.append(rows++ == 0 ? "" : "; ");
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                evidence.append(i == 1 ? "" : ", ").append(meta.getColumnLabel(i)).append('=').append(rs.getObject(i));
            }
        }
        return rows == 0 ? Optional.empty() : Optional.of(evidence.toString());
    }
}
