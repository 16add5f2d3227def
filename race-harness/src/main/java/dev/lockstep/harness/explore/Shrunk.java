package dev.lockstep.harness.explore;

import java.util.Objects;

/**
 * What the {@link Shrinker} made of a failing run.
 *
 * @param original  the failing run it started from
 * @param smallest  the smallest run found that breaks the same promise (the original when none is smaller)
 * @param runsTried how many candidate runs were made
 */
public record Shrunk(Execution original, Execution smallest, int runsTried) {

    public Shrunk {
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(smallest, "smallest");
        if (runsTried < 0) {
            throw new IllegalArgumentException("runsTried must not be negative, got " + runsTried);
        }
    }

    /** Whether a smaller run than the original was found. */
    public boolean improved() {
        return smallest != original;
    }

    /** e.g. {@code 5 preemptions, 14 decisions -> 1 preemptions, 6 decisions in 37 runs: A A B B B A}. */
    @Override
    public String toString() {
        return original.preemptions() + " preemptions, " + original.schedule().size() + " decisions -> "
                + smallest.preemptions() + " preemptions, " + smallest.schedule().size() + " decisions in "
                + runsTried + " runs: " + smallest.schedule();
    }
}
