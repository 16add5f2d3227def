package dev.lockstep.harness.explore;

/** Whether a run kept every promise of its scenario. */
public sealed interface Verdict {

    /** Nothing broke. */
    record Passed() implements Verdict {}

    /** An invariant did not hold after decision {@code afterStep} (-1: at the end); {@code evidence} says how. */
    record InvariantBroken(String invariant, int afterStep, String evidence) implements Verdict {}

    /** An expectation over the actors' outcomes was false. */
    record ExpectationFailed(String expectation) implements Verdict {}

    /** Every live actor was blocked in the database by another: the harness broke the deadlock. */
    record Deadlock(java.util.List<String> actors) implements Verdict {}

    /** A replayed schedule named an actor that could not move at that point. */
    record ScheduleInvalid(int step, String actor, java.util.List<String> ready) implements Verdict {}

    default boolean failed() {
        return !(this instanceof Passed) && !(this instanceof ScheduleInvalid);
    }

    /** What broke, in one line; equal for two runs that broke the same promise. */
    default String summary() {
        if (this instanceof InvariantBroken b) {
            return "invariant broken: " + b.invariant();
        }
        if (this instanceof ExpectationFailed e) {
            return "expectation failed: " + e.expectation();
        }
        if (this instanceof Deadlock d) {
            return "deadlock between " + String.join(", ", d.actors());
        }
        if (this instanceof ScheduleInvalid s) {
            return "schedule invalid at step " + s.step() + ": " + s.actor() + " cannot move (ready: " + s.ready() + ")";
        }
        return "passed";
    }
}
