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

    /** Once every actor has finished: invariants, then expectations, then each session's steps (read from the trace as drafted). */
    Verdict atEnd(Outcomes outcomes, List<StepDraft> drafts) {
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
        return sessionExpectations(outcomes, drafts).orElse(new Verdict.Passed());
    }

    /**
     * Whether the session of {@code actor} expected its statement number {@code index} (counted from 0,
     * setup included) to fail with {@code sqlState}: a deadlock the scenario itself predicts is not a failure.
     */
    boolean sessionExpects(String actor, int index, String sqlState) {
        Session session = scenario.actors().stream().filter(a -> a.name().equals(actor)).findFirst().orElseThrow().session();
        return session != null && index < session.statements().size() && session.statements().get(index).expected().stream()
                .anyMatch(e -> e instanceof Session.Expected.SqlState state && state.state().equals(sqlState));
    }

    /** What every isolationtester-style statement should come to, blocking included, against the trace as drafted. */
    private Optional<Verdict> sessionExpectations(Outcomes outcomes, List<StepDraft> drafts) {
        for (var actor : scenario.actors()) {
            Session session = actor.session();
            if (session == null) {
                continue;
            }
            if (!(outcomes.of(actor.name()) instanceof Outcome.Returned returned) || !(returned.value() instanceof List<?> results)) {
                return Optional.of(new Verdict.ExpectationFailed("session " + actor.name() + " did not run to its end: "
                        + outcomes.of(actor.name()).label()));
            }
            List<StepDraft.Step> own = drafts.stream().filter(d -> d instanceof StepDraft.Step s && s.actor.equals(actor.name()))
                    .map(StepDraft.Step.class::cast).toList();
            List<Session.Step> statements = session.statements();
            for (int i = 0; i < statements.size(); i++) {
                Session.Step expected = statements.get(i);
                StepDraft.Step traced = i < own.size() ? own.get(i) : null;
                String problem = session.mismatch(expected, (Session.StepResult) results.get(i), traced != null && traced.waited,
                        other -> traced != null && completedAfter(traced, other, drafts));
                if (problem != null) {
                    return Optional.of(new Verdict.ExpectationFailed("session " + actor.name() + " "
                            + (expected.name() == null ? "statement " + (i + 1) + " " : "step ") + expected.label() + ": " + problem));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code waiter}'s completion came into the trace after the step named {@code other} was sent
     * and came to its result (its own completion, if it waited too).
     */
    private boolean completedAfter(StepDraft.Step waiter, String other, List<StepDraft> drafts) {
        int completion = -1;
        for (int i = 0; i < drafts.size(); i++) {
            if (drafts.get(i) instanceof StepDraft.Completed c && c.of == waiter) {
                completion = i;
            }
        }
        if (completion < 0) {
            return false;
        }
        int sent = drafts.indexOf(waiter);
        for (int i = sent + 1; i < completion; i++) {
            if (drafts.get(i) instanceof StepDraft.Step s && other.equals(sessionStepName(s, drafts))) {
                StepDraft.Step named = s;
                boolean settledBefore = !named.waited || drafts.subList(i + 1, completion).stream()
                        .anyMatch(d -> d instanceof StepDraft.Completed c && c.of == named);
                if (settledBefore) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The name of the session step that {@code step} sent, or null (not a session, or an unnamed statement). */
    private String sessionStepName(StepDraft.Step step, List<StepDraft> drafts) {
        Session session = scenario.actors().stream().filter(a -> a.name().equals(step.actor)).findFirst().orElseThrow().session();
        int index = (int) drafts.stream().filter(d -> d instanceof StepDraft.Step s && s.actor.equals(step.actor) && s.step < step.step).count();
        return session == null || index >= session.statements().size() ? null : session.statements().get(index).name();
    }

    /** Closes the invariants' statements (the observer connection stays open). */
    void close() {
        invariants.close();
    }
}
