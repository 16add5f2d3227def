package dev.lockstep.harness.explore;

import dev.lockstep.dsl.Outcomes;
import java.util.Optional;
import java.util.function.Function;

/** How one kind of {@link Explorer} chooses its runs. Immutable; every exploration starts afresh. */
sealed interface Search permits ReplaySearch, RandomSearch, PctSearch, ExhaustiveSearch {

    /**
     * Makes the runs.
     *
     * @param keepGoing    false: stop at the first failing run
     * @param outcomeLabel what each run's outcomes are tallied under
     * @param description  the explorer's description, for the result
     */
    Exploration explore(ScheduleRunner runner, boolean keepGoing, Function<Outcomes, String> outcomeLabel, String description);

    /** e.g. {@code random(seed 42, 500)}. */
    String describe();

    Optional<Long> seed();
}
