package dev.lockstep.harness.explore;

import java.util.List;
import java.util.Objects;

/** How a run ended: it kept every promise of its scenario, broke one, or could not follow its schedule. */
public sealed interface Verdict {

    /** Nothing broke. */
    record Passed() implements Verdict {}

    /** An invariant did not hold after decision {@code afterStep} (-1: at the end); {@code evidence} says how. */
    record InvariantBroken(String invariant, int afterStep, String evidence) implements Verdict {}

    /** An expectation over the actors' outcomes (for a final check, outcomes and final state together) was false. */
    record ExpectationFailed(String expectation) implements Verdict {}

    /**
     * Actors waited for each other in the database. The statement {@code victim} sent at decision
     * {@code step} was ended: by the database's own deadlock detector ({@code endedByDatabase}, the
     * victim sees the database's error), or, as a last resort when the database could not see the
     * cycle or did not end it in time, by the harness cancelling that wait.
     */
    record Deadlock(List<String> actors, String victim, int step, boolean endedByDatabase) implements Verdict {
        public Deadlock {
            actors = List.copyOf(actors);
            Objects.requireNonNull(victim, "victim");
        }
    }

    /**
     * The run stopped at a decision its schedule did not describe: the schedule, not the scenario, is
     * at fault, so nothing is known about the scenario's promises. A failure when the schedule was the
     * caller's (a replay); for an explorer that made the schedule up from an earlier run, only a run
     * that did not go as that earlier one did.
     */
    sealed interface Unrealized extends Verdict permits ScheduleInvalid, ScheduleTooShort, OtherStep {}

    /**
     * Decision {@code step} (0-based, as the trace numbers steps) named {@code actor}, which could not
     * move; only {@code ready} could (empty: every actor had finished). The run stopped there.
     */
    record ScheduleInvalid(int step, String actor, List<String> ready, Why why) implements Unrealized {

        /** Why the actor named could not move. */
        public enum Why {
            /** Its body had ended. */
            FINISHED,
            /** Its statement was waiting for another actor in the database. */
            WAITING,
            /** The scenario has no actor of that name. */
            NOT_AN_ACTOR
        }

        public ScheduleInvalid {
            Objects.requireNonNull(actor, "actor");
            ready = List.copyOf(ready);
            Objects.requireNonNull(why, "why");
        }
    }

    /**
     * The schedule ended after {@code step} decisions while {@code ready} could still move: the run
     * stopped there, before decision {@code step}, which an exact replay leaves to no one.
     */
    record ScheduleTooShort(int step, List<String> ready) implements Unrealized {
        public ScheduleTooShort {
            ready = List.copyOf(ready);
        }
    }

    /**
     * Decision {@code step} named the step {@code named} of {@code actor} ({@code A:guard}), but the
     * statement the actor was about to send there is {@code found} (a session step's name, or the
     * statement and its call site): the code under test no longer runs as when the schedule was
     * written. The run stopped there.
     */
    record OtherStep(int step, String actor, String named, String found) implements Unrealized {
        public OtherStep {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(named, "named");
            Objects.requireNonNull(found, "found");
        }
    }

    /** Whether the run failed: it broke a promise of its scenario, or did not follow its schedule ({@link Unrealized}). */
    default boolean failed() {
        return !(this instanceof Passed);
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
            return "schedule invalid: step " + s.step() + " asks for " + s.actor() + switch (s.why()) {
                case FINISHED -> ", which has finished";
                case WAITING -> ", which is waiting for another actor in the database";
                case NOT_AN_ACTOR -> ", which is not an actor of this scenario";
            } + (s.ready().isEmpty() ? "; every actor has finished" : "; only " + String.join(", ", s.ready()) + " could move");
        }
        if (this instanceof OtherStep s) {
            return "schedule invalid: step " + s.step() + " asks for " + s.actor() + ":" + s.named() + ", but " + s.actor()
                    + "'s statement there is " + s.found();
        }
        if (this instanceof ScheduleTooShort s) {
            return "schedule too short: it ends after " + s.step() + (s.step() == 1 ? " decision" : " decisions")
                    + ", but at step " + s.step() + " " + String.join(", ", s.ready()) + " could still move";
        }
        return "passed";
    }
}
