package dev.lockstep.harness.explore;

/** Runs a scenario once, for real, from a clean state, letting a {@link Decider} pick each move. */
@FunctionalInterface
public interface ScheduleRunner {
    Execution run(Decider decider);
}
