package dev.lockstep.harness.scheduler;

import dev.lockstep.dsl.Expectation;
import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Outcomes;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Session;
import dev.lockstep.harness.explore.Verdict;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The promises of a scenario, checked on the runner's observer connection: invariants (after a step
 * or at the end, evaluated by {@link Invariants}), expectations over the actors' outcomes and the final state
 * ({@link Expectations}), and the expected result of each step of an
 * isolationtester-style session.
 */
final class ScenarioChecks {

    private final Scenario scenario;
    private final Connection observer;
    private final Invariants invariants;

    ScenarioChecks(Scenario scenario, Connection observer) {
        this.scenario = scenario;
        this.observer = observer;
        this.invariants = new Invariants(scenario.invariants(), observer);
    }

    /** The first invariant that does not hold after decision {@code afterStep} (-1 and {@code atEnd}: once all finished). */
    Optional<Verdict> invariants(int afterStep, boolean atEnd) {
        try {
            return invariants.firstViolation(atEnd).map(violation ->
                    new Verdict.InvariantBroken(violation.invariant().description(), afterStep, violation.evidence()));
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Once every actor has finished: invariants, then expectations, then each session's steps. */
    Verdict atEnd(Outcomes outcomes, List<StepDraft.Step> steps) {
        Optional<Verdict> broken = invariants(-1, true);
        if (broken.isPresent()) {
            return broken.get();
        }
        Optional<Expectation> failed;
        try {
            failed = Expectations.firstFailed(scenario.expectations(), outcomes, observer);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (failed.isPresent()) {
            return new Verdict.ExpectationFailed(failed.get().description());
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

    /** Closes the invariants' statements (the observer connection stays open). */
    void close() {
        invariants.close();
    }
}
