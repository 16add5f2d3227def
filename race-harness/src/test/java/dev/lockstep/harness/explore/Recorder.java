package dev.lockstep.harness.explore;

import java.util.ArrayList;
import java.util.List;

/** Passes runs through to another runner and remembers, for each, its schedule, verdict and preemptions. */
final class Recorder implements ScheduleRunner {

    /** One run, as the explorer saw it. */
    record Seen(String schedule, String verdict, int preemptions) {}

    private final ScheduleRunner runner;
    private final List<Seen> seen = new ArrayList<>();

    Recorder(ScheduleRunner runner) {
        this.runner = runner;
    }

    @Override
    public Execution run(Decider decider) {
        Execution execution = runner.run(decider);
        seen.add(new Seen(execution.schedule().toString(), execution.verdict().summary(), execution.preemptions()));
        return execution;
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    List<String> schedules() {
        return seen.stream().map(Seen::schedule).toList();
    }
}
