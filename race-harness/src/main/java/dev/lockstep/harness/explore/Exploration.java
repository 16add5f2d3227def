package dev.lockstep.harness.explore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link Explorer} found. Holds no per-run data except the first failing run, so an
 * exploration of any number of schedules takes the same memory (the outcome tally is capped).
 *
 * @param explorer     how the schedules were chosen, e.g. {@code exhaustive(cap 10000)} or {@code random(seed 42, 500)}
 * @param runs         how many runs were made, invalid ones included
 * @param failures     how many runs failed: broke a promise of the scenario, or, for a replay, did not
 *                     follow the caller's schedule ({@link Verdict.Unrealized})
 * @param invalid      how many runs did not follow their schedule ({@link Verdict.Unrealized}): for a
 *                     replay, also a failure; for the other explorers, a run that did not go as the
 *                     earlier run the explorer built its schedule from (not a failure, but the
 *                     exploration is not complete)
 * @param firstFailure the first failing run, with its trace when the runner kept one
 * @param complete     whether every schedule of the scenario was run (exhaustive only: the whole tree, or
 *                     every schedule within the explorer's preemption bound, was
 *                     explored within the cap, without stopping at a failure, and no run was invalid)
 * @param seed         the seed of a randomized explorer; replaying with it reproduces every run
 * @param verdicts     how many runs ended with each {@link Verdict#summary()}, in the order first seen
 * @param outcomes     how many runs ended with each outcome label, in the order first seen: by default
 *                     {@link dev.lockstep.dsl.Outcomes#label()} (e.g. {@code A=acquired B=refused}), or as
 *                     {@link Explorer#tallyOutcomesBy} says; at most 1,000 labels, later new ones counted together
 * @param firstFailureRun which run (counted from 1) was the first to fail: how many schedules it took to
 *                     find it; 0 when none failed
 */
public record Exploration(String explorer, int runs, int failures, int invalid, Optional<Execution> firstFailure,
                          boolean complete, Optional<Long> seed, Map<String, Integer> verdicts,
                          Map<String, Integer> outcomes, int firstFailureRun) {

    public Exploration {
        Objects.requireNonNull(explorer, "explorer");
        Objects.requireNonNull(firstFailure, "firstFailure");
        Objects.requireNonNull(seed, "seed");
        verdicts = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(verdicts, "verdicts")));
        outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(outcomes, "outcomes")));
        if (runs < 0 || failures < 0 || invalid < 0 || failures > runs || invalid > runs) {
            throw new IllegalArgumentException("inconsistent counts: " + runs + " runs, " + failures + " failing, " + invalid + " invalid");
        }
        if (firstFailure.isPresent() != failures > 0) {
            throw new IllegalArgumentException("firstFailure must be present exactly when failures > 0 (failures: " + failures + ")");
        }
        if (failures > 0 ? firstFailureRun < 1 || firstFailureRun > runs : firstFailureRun != 0) {
            throw new IllegalArgumentException("firstFailureRun must be a run (1 to " + runs + ") exactly when failures > 0, was "
                    + firstFailureRun + " with " + failures + " failing");
        }
    }

    /** Whether some run failed: broke a promise of the scenario, or was a replay that did not follow its schedule. */
    public boolean failed() {
        return failures > 0;
    }

    /** One line, e.g. {@code random(seed 42, 500) keep going: 500 runs, 3 failing (the first: run 17), 0 invalid; {passed=497, ...}}. */
    @Override
    public String toString() {
        return explorer + ": " + runs + " runs, " + failures + " failing"
                + (failures > 0 ? " (the first: run " + firstFailureRun + ")" : "") + ", " + invalid + " invalid"
                + (complete ? ", complete" : "") + "; " + verdicts;
    }
}
