package dev.lockstep.harness.explore;

import dev.lockstep.dsl.Schedule;
import java.util.Objects;
import java.util.Optional;

/** One run, following a schedule and then the default continuation. */
final class ReplaySearch implements Search {

    private final Schedule schedule;

    ReplaySearch(Schedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    @Override
    public Exploration explore(ScheduleRunner runner, boolean keepGoing, String description) {
        Tally tally = new Tally();
        tally.record(run(runner));
        return tally.result(description, false, Optional.empty());
    }

    /** The one run, whatever its verdict. */
    Execution run(ScheduleRunner runner) {
        return runner.run(new ReplayDecider(schedule));
    }

    @Override
    public String describe() {
        return "replay(" + schedule + ")";
    }

    @Override
    public Optional<Long> seed() {
        return Optional.empty();
    }
}
