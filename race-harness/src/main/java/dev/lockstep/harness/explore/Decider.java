package dev.lockstep.harness.explore;

import java.util.List;

/** Chooses which actor moves at each yield point of one run. */
@FunctionalInterface
public interface Decider {

    /**
     * @param step     the index of this decision in the run, from 0
     * @param ready    the actors parked at a yield point, in declaration order; never empty
     * @param previous the actor that moved at the previous decision, or null at the first
     * @return one of {@code ready}; any other name stops the run with {@link Verdict.ScheduleInvalid}
     */
    String choose(int step, List<String> ready, String previous);

    /**
     * Whether this decider has a decision for {@code step}. The runner asks before each {@link #choose};
     * on false it stops the run there with {@link Verdict.ScheduleTooShort}. Only an exact replay whose
     * schedule has run out says false.
     */
    default boolean hasDecision(int step) {
        return true;
    }

    /**
     * The step the actor chosen at {@code step} must send there ({@code guard} of a schedule's
     * {@code A:guard}), or null when any will do. The runner checks it against the session step's name
     * or the statement's call site, and stops the run with {@link Verdict.OtherStep} when it differs.
     */
    default String stepName(int step) {
        return null;
    }
}
