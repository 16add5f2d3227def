package dev.lockstep.harness.explore;

import dev.lockstep.dsl.Schedule;
import java.util.List;
import java.util.Objects;

/**
 * Follows a schedule, then what its {@link Rest} says.
 *
 * <ol>
 *   <li>At decision {@code i < schedule.size()} it returns {@code schedule.get(i)}, whether or not that
 *       actor is ready: the runner turns an actor that cannot move into {@link Verdict.ScheduleInvalid}.
 *   <li>Past the end, {@link Rest#EXACT} has no decision (the runner stops the run with
 *       {@link Verdict.ScheduleTooShort}); the other rests choose among the ready actors.
 * </ol>
 *
 * <p>Stateless: one instance may serve any number of runs.
 */
final class ReplayDecider implements Decider {

    /** What decides once the schedule has run out. */
    enum Rest {
        /** Nothing: the schedule must name every decision of the run. */
        EXACT(""),
        /** The first ready actor in declaration order, at every decision. */
        DECLARATION_ORDER(" then declaration order"),
        /** The actor that moved last while it is ready, else the first ready one: adds no preemption. */
        WITHOUT_PREEMPTION(" then without preemption");

        private final String description;

        Rest(String description) {
            this.description = description;
        }

        String choose(List<String> ready, String previous) {
            return switch (this) {
                case EXACT -> throw new IllegalStateException("an exact replay has no decision past the end of its schedule");
                case DECLARATION_ORDER -> ready.get(0);
                case WITHOUT_PREEMPTION -> previous != null && ready.contains(previous) ? previous : ready.get(0);
            };
        }

        /** e.g. {@code  then declaration order}, appended to {@code replay(A B)}; empty for {@link #EXACT}. */
        String description() {
            return description;
        }
    }

    private final Schedule schedule;
    private final Rest rest;

    ReplayDecider(Schedule schedule, Rest rest) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.rest = Objects.requireNonNull(rest, "rest");
    }

    @Override
    public boolean hasDecision(int step) {
        return step < schedule.size() || rest != Rest.EXACT;
    }

    @Override
    public String choose(int step, List<String> ready, String previous) {
        if (step < schedule.size()) {
            return schedule.actor(step);
        }
        return rest.choose(ready, previous);
    }

    @Override
    public String stepName(int step) {
        return step < schedule.size() ? schedule.stepName(step) : null;
    }

    @Override
    public String toString() {
        return "follow(" + schedule + ")" + rest.description();
    }
}
