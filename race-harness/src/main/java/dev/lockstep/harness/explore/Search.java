package dev.lockstep.harness.explore;

import java.util.Optional;

/** How one kind of {@link Explorer} chooses its runs. Immutable; every exploration starts afresh. */
sealed interface Search permits ReplaySearch, RandomSearch, PctSearch, ExhaustiveSearch {

    /**
     * Makes the runs.
     *
     * @param keepGoing   false: stop at the first failing run
     * @param description the explorer's description, for the result
     */
    Exploration explore(ScheduleRunner runner, boolean keepGoing, String description);

    /** e.g. {@code random(seed 42, 500)}. */
    String describe();

    Optional<Long> seed();
}
