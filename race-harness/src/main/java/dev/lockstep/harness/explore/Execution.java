package dev.lockstep.harness.explore;

import dev.lockstep.dsl.Outcomes;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.trace.Trace;
import java.util.List;

/**
 * One run of a scenario under one schedule.
 *
 * @param schedule the decisions actually taken, in order ({@link #replay()} is what reproduces the run)
 * @param readyAt  for each decision, the actors that could have moved (declaration order)
 * @param verdict  whether an invariant or expectation broke
 * @param outcomes how each actor ended
 * @param trace    what happened; may be null when the runner was asked not to keep traces
 */
public record Execution(Schedule schedule, List<List<String>> readyAt, Verdict verdict, Outcomes outcomes, Trace trace) {

    public Execution {
        readyAt = List.copyOf(readyAt);
    }

    /**
     * The schedule whose exact replay reproduces this run, its verdict and its trace: the decisions
     * taken, followed, when the run stopped at a decision naming an actor that could not move, by that
     * decision (without it, a replay would stop one step earlier for want of a decision).
     */
    public Schedule replay() {
        return verdict instanceof Verdict.ScheduleInvalid invalid ? schedule.then(invalid.actor()) : schedule;
    }

    /**
     * Context switches that were preemptions: decisions that moved another actor while the one that
     * moved before could still have moved. Switches forced by an actor finishing or blocking are free.
     */
    public int preemptions() {
        int preemptions = 0;
        for (int i = 1; i < schedule.size(); i++) {
            String previous = schedule.get(i - 1);
            if (!schedule.get(i).equals(previous) && readyAt.get(i).contains(previous)) {
                preemptions++;
            }
        }
        return preemptions;
    }
}
