package dev.lockstep.harness.explore;

/** Whether a run kept every promise of its scenario. */
public sealed interface Verdict {

    /** Nothing broke. */
    record Passed() implements Verdict {}

    /** An invariant did not hold after decision {@code afterStep} (-1: at the end); {@code evidence} says how. */
    record InvariantBroken(String invariant, int afterStep, String evidence) implements Verdict {}

    /** An expectation over the actors' outcomes was false. */
    record ExpectationFailed(String expectation) implements Verdict {}

    /**
     * Actors waited for each other in the database. The statement {@code victim} sent at decision
     * {@code step} was ended: by the database's own deadlock detector ({@code endedByDatabase}, the
     * victim sees the database's error), or, as a last resort when the database could not see the
     * cycle or did not end it in time, by the harness cancelling that wait.
     */
    record Deadlock(java.util.List<String> actors, String victim, int step, boolean endedByDatabase) implements Verdict {
        public Deadlock {
            actors = java.util.List.copyOf(actors);
            java.util.Objects.requireNonNull(victim, "victim");
        }
    }

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
            return "deadlock between " + String.join(", ", d.actors()) + (d.endedByDatabase()
                    ? ": the database ended it, " + d.victim() + " was its victim"
                    : ": the database did not end it, the harness cancelled " + d.victim() + "'s wait");
        }
        if (this instanceof ScheduleInvalid s) {
            return "schedule invalid at step " + s.step() + ": " + s.actor() + " cannot move (ready: " + s.ready() + ")";
        }
        return "passed";
    }
}
