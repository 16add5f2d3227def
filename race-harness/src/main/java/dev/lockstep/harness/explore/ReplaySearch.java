package dev.lockstep.harness.explore;

import dev.lockstep.dsl.Outcomes;
import dev.lockstep.dsl.Schedule;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One run that follows a schedule exactly, then, only when asked for, runs the rest in a stated order.
 *
 * <ol>
 *   <li>Run with a {@link ReplayDecider}: each decision of the schedule in turn. A decision naming an
 *       actor that cannot move stops the run ({@link Verdict.ScheduleInvalid}); so does running out of
 *       schedule while actors can still move ({@link Verdict.ScheduleTooShort}), unless a
 *       {@link ReplayDecider.Rest} other than exact chooses the rest.
 *   <li>When the run ended because every actor finished, while the schedule still had decisions, the
 *       first decision left over is invalid: it names an actor that has finished (or none at all).
 *       A run stopped early by a broken invariant keeps its verdict: the decisions after it are never
 *       reached, in any replay.
 *   <li>A run that did not follow its schedule counts as a failure of the exploration: the schedule
 *       was the caller's.
 * </ol>
 */
final class ReplaySearch implements Search {

    private final Schedule schedule;
    private final ReplayDecider.Rest rest;

    ReplaySearch(Schedule schedule, ReplayDecider.Rest rest) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.rest = Objects.requireNonNull(rest, "rest");
    }

    ReplaySearch withRest(ReplayDecider.Rest rest) {
        return new ReplaySearch(schedule, rest);
    }

    @Override
    public Exploration explore(ScheduleRunner runner, boolean keepGoing, Function<Outcomes, String> outcomeLabel, String description) {
        Tally tally = new Tally(true, outcomeLabel);
        tally.record(run(runner));
        return tally.result(description, false, Optional.empty());
    }

    /** The one run, whatever its verdict. */
    Execution run(ScheduleRunner runner) {
        Execution run = Objects.requireNonNull(runner.run(new ReplayDecider(schedule, rest)),
                "the ScheduleRunner returned no Execution");
        int taken = run.schedule().size();
        if (taken >= schedule.size() || run.verdict() instanceof Verdict.Unrealized
                || run.verdict() instanceof Verdict.InvariantBroken broken && broken.afterStep() >= 0) {
            return run;
        }
        String asked = schedule.get(taken);
        boolean actor = run.outcomes() != null && run.outcomes().asMap().containsKey(asked);
        Verdict leftOver = new Verdict.ScheduleInvalid(taken, asked, List.of(),
                actor ? Verdict.ScheduleInvalid.Why.FINISHED : Verdict.ScheduleInvalid.Why.NOT_AN_ACTOR);
        return new Execution(run.schedule(), run.readyAt(), leftOver, run.outcomes(), run.trace());
    }

    @Override
    public String describe() {
        return "replay(" + schedule + ")" + rest.description();
    }

    @Override
    public Optional<Long> seed() {
        return Optional.empty();
    }
}
