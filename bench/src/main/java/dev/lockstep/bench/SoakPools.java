package dev.lockstep.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * The runs soak workers hand each other, by what can be done to them next: paused and failed runs (to
 * resume or cancel), runs whose holder died (to take over once stale, or cancel), and pending runs
 * created for dispatch (to cancel; executors claim them from the database). A run taken from a pool is
 * out of it, so two workers never pick the same run from here; they still meet on it through the database
 * (claim-next picks pending runs, cancel loops until the run is terminal).
 */
final class SoakPools {

    enum Pool { PAUSED, FAILED, ABANDONED, PENDING }

    /**
     * How many failed and pending runs are remembered; older ones are forgotten (they stay in the database,
     * where executors still claim the pending ones). Paused and abandoned runs hold their keys and are never
     * forgotten: at most one per key.
     */
    private final int forgetAbove;
    private final List<List<Long>> pools = new ArrayList<>();

    SoakPools(int keys) {
        this.forgetAbove = Math.max(16, 2 * keys);
        for (int i = 0; i < Pool.values().length; i++) {
            pools.add(new ArrayList<>());
        }
    }

    void put(Pool pool, long runId) {
        List<Long> runs = pools.get(pool.ordinal());
        synchronized (runs) {
            runs.add(runId);
            if ((pool == Pool.FAILED || pool == Pool.PENDING) && runs.size() > forgetAbove) {
                runs.remove(0);
            }
        }
    }

    /** A run taken at random out of {@code pool}, if it has any. */
    OptionalLong take(Pool pool, SplittableRandom random) {
        List<Long> runs = pools.get(pool.ordinal());
        synchronized (runs) {
            if (runs.isEmpty()) {
                return OptionalLong.empty();
            }
            int last = runs.size() - 1;
            int chosen = random.nextInt(runs.size());
            long runId = runs.get(chosen);
            runs.set(chosen, runs.get(last));
            runs.remove(last);
            return OptionalLong.of(runId);
        }
    }

    /** A run and the pool it was taken from. */
    record Taken(Pool pool, long runId) {}

    /** A run taken out of the first of {@code choices}, tried from a random one on, that has any. */
    Optional<Taken> takeAny(SplittableRandom random, Pool... choices) {
        int first = random.nextInt(choices.length);
        for (int i = 0; i < choices.length; i++) {
            Pool pool = choices[(first + i) % choices.length];
            OptionalLong taken = take(pool, random);
            if (taken.isPresent()) {
                return Optional.of(new Taken(pool, taken.getAsLong()));
            }
        }
        return Optional.empty();
    }
}
