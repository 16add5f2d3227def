package dev.lockstep.harness.explore;

import dev.lockstep.dsl.Outcomes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * PCT, probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010):
 * a bug that needs {@code depth - 1} well-placed preemptions is found by each run with a probability
 * that does not shrink with the number of ways the rest of the run can interleave.
 *
 * <p>Per run:
 * <ol>
 *   <li>Pick {@code depth - 1} distinct change points among the decision indices {@code [0, k)}, where
 *       {@code k} is the largest number of decisions seen in an earlier run of this exploration (32
 *       before the first run); all of them when {@code k < depth - 1}.
 *   <li>Give the actors random distinct priorities: each actor, when first seen ready, is inserted at
 *       a uniformly random rank among the actors not yet lowered (a uniform random permutation).
 *   <li>At each decision, move the ready actor with the highest priority.
 *   <li>At a change point, first lower the actor that would move below every other actor (lowered
 *       actors rank below all others, the latest lowered last), then move the highest ready actor.
 * </ol>
 *
 * <p>One {@link Random}, seeded when the exploration starts, feeds every run in order, so the seed
 * reproduces the exploration over a runner that offers the same ready sets.
 */
final class PctSearch implements Search {

    private static final int FIRST_DEPTH_BOUND = 32;

    private final long seed;
    private final int schedules;
    private final int depth;

    PctSearch(long seed, int schedules, int depth) {
        if (schedules < 1) {
            throw new IllegalArgumentException("pct explorer: schedules must be at least 1, got " + schedules);
        }
        if (depth < 1) {
            throw new IllegalArgumentException("pct explorer: depth must be at least 1 (1 = no preemption), got " + depth);
        }
        this.seed = seed;
        this.schedules = schedules;
        this.depth = depth;
    }

    @Override
    public Exploration explore(ScheduleRunner runner, boolean keepGoing, Function<Outcomes, String> outcomeLabel, String description) {
        Random random = new Random(seed);
        Tally tally = new Tally(false, outcomeLabel);
        int longest = -1;
        while (tally.runs() < schedules) {
            int k = longest < 0 ? FIRST_DEPTH_BOUND : longest;
            Execution execution = runner.run(new PctDecider(random, changePoints(random, depth - 1, k)));
            boolean failed = tally.record(execution);
            longest = Math.max(longest, execution.schedule().size());
            if (failed && !keepGoing) {
                break;
            }
        }
        return tally.result(description, false, seed());
    }

    /** {@code count} distinct indices of {@code [0, bound)} (Floyd's sampling), or all of them when fewer. */
    static Set<Integer> changePoints(Random random, int count, int bound) {
        Set<Integer> points = new HashSet<>();
        if (count >= bound) {
            for (int i = 0; i < bound; i++) {
                points.add(i);
            }
            return points;
        }
        for (int j = bound - count; j < bound; j++) {
            int t = random.nextInt(j + 1);
            points.add(points.contains(t) ? j : t);
        }
        return points;
    }

    /** The decisions of one run; holds that run's priorities. */
    static final class PctDecider implements Decider {
        private final Random random;
        private final Set<Integer> changePoints;
        /** Actors not lowered yet, highest priority first. */
        private final List<String> ranked = new ArrayList<>();
        /** Lowered actors, below every ranked one; the latest lowered last. */
        private final List<String> lowered = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();

        PctDecider(Random random, Set<Integer> changePoints) {
            this.random = random;
            this.changePoints = Set.copyOf(changePoints);
        }

        @Override
        public String choose(int step, List<String> ready, String previous) {
            for (String actor : ready) {
                if (seen.add(actor)) {
                    ranked.add(random.nextInt(ranked.size() + 1), actor);
                }
            }
            if (changePoints.contains(step)) {
                String demoted = highest(ready);
                if (!ranked.remove(demoted)) {
                    lowered.remove(demoted);
                }
                lowered.add(demoted);
            }
            return highest(ready);
        }

        private String highest(List<String> ready) {
            for (String actor : ranked) {
                if (ready.contains(actor)) {
                    return actor;
                }
            }
            for (String actor : lowered) {
                if (ready.contains(actor)) {
                    return actor;
                }
            }
            throw new IllegalArgumentException("no ready actor: " + ready);
        }
    }

    @Override
    public String describe() {
        return "pct(seed " + seed + ", " + schedules + ", depth " + depth + ")";
    }

    @Override
    public Optional<Long> seed() {
        return Optional.of(seed);
    }
}
