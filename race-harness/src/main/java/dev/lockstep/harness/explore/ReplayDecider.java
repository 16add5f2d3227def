package dev.lockstep.harness.explore;

import dev.lockstep.dsl.Schedule;
import java.util.List;
import java.util.Objects;

/**
 * Follows a schedule, then continues by default.
 *
 * <ol>
 *   <li>At decision {@code i < schedule.size()} it returns {@code schedule.get(i)}, whether or not that
 *       actor is ready: the runner turns an actor that cannot move into {@link Verdict.ScheduleInvalid}.
 *   <li>Past the end it keeps the actor that moved last while that actor is ready, else it moves the
 *       first ready actor in declaration order. This default continuation never adds a preemption.
 * </ol>
 *
 * <p>Stateless: one instance may serve any number of runs.
 */
final class ReplayDecider implements Decider {

    private final List<String> steps;

    ReplayDecider(List<String> steps) {
        this.steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
    }

    ReplayDecider(Schedule schedule) {
        this(Objects.requireNonNull(schedule, "schedule").steps());
    }

    @Override
    public String choose(int step, List<String> ready, String previous) {
        if (step < steps.size()) {
            return steps.get(step);
        }
        return byDefault(ready, previous);
    }

    /** The default continuation: the previous actor while it can move, else the first ready one. */
    static String byDefault(List<String> ready, String previous) {
        return previous != null && ready.contains(previous) ? previous : ready.get(0);
    }

    @Override
    public String toString() {
        return "follow(" + String.join(" ", steps) + ")";
    }
}
