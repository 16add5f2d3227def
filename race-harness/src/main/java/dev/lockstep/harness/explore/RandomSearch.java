package dev.lockstep.harness.explore;

import dev.lockstep.dsl.Outcomes;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * Random walk: at every decision of every run, one of the ready actors, each with the same chance.
 *
 * <ol>
 *   <li>One {@link Random} is seeded with the seed when the exploration starts and is shared, in
 *       order, by all its runs ({@code java.util.Random}: its algorithm is fixed by the Java
 *       specification, so a seed means the same runs on every JDK).
 *   <li>A decision with a single ready actor draws nothing.
 * </ol>
 *
 * <p>Guarantee: the same seed, over a runner that offers the same ready sets, makes the same
 * decisions in the same runs.
 */
final class RandomSearch implements Search {

    private final long seed;
    private final int schedules;

    RandomSearch(long seed, int schedules) {
        if (schedules < 1) {
            throw new IllegalArgumentException("random explorer: schedules must be at least 1, got " + schedules);
        }
        this.seed = seed;
        this.schedules = schedules;
    }

    @Override
    public Exploration explore(ScheduleRunner runner, boolean keepGoing, Function<Outcomes, String> outcomeLabel, String description) {
        Random random = new Random(seed);
        Decider decider = (step, ready, previous) -> pick(random, ready);
        Tally tally = new Tally(false, outcomeLabel);
        while (tally.runs() < schedules) {
            if (tally.record(runner.run(decider)) && !keepGoing) {
                break;
            }
        }
        return tally.result(description, false, seed());
    }

    private static String pick(Random random, List<String> ready) {
        return ready.size() == 1 ? ready.get(0) : ready.get(random.nextInt(ready.size()));
    }

    @Override
    public String describe() {
        return "random(seed " + seed + ", " + schedules + ")";
    }

    @Override
    public Optional<Long> seed() {
        return Optional.of(seed);
    }
}
