package dev.lockstep.harness.explore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link Explorer} found. Holds no per-run data except the first failing run, so an
 * exploration of any number of schedules takes the same memory.
 *
 * @param explorer     how the schedules were chosen, e.g. {@code exhaustive(cap 10000)} or {@code random(seed 42, 500)}
 * @param runs         how many runs were made, invalid ones included
 * @param failures     how many runs broke a promise of the scenario ({@link Verdict#failed()})
 * @param invalid      how many runs ended with {@link Verdict.ScheduleInvalid}: the database did not let
 *                     the named actor move, so the run was not what the explorer asked for
 * @param firstFailure the first failing run, with its trace when the runner kept one
 * @param complete     whether every schedule of the scenario was run (exhaustive only: the whole tree was
 *                     explored within the cap, without stopping at a failure, and no run was invalid)
 * @param seed         the seed of a randomized explorer; replaying with it reproduces every run
 * @param verdicts     how many runs ended with each {@link Verdict#summary()}, in the order first seen
 */
public record Exploration(String explorer, int runs, int failures, int invalid, Optional<Execution> firstFailure,
                          boolean complete, Optional<Long> seed, Map<String, Integer> verdicts) {

    public Exploration {
        Objects.requireNonNull(explorer, "explorer");
        Objects.requireNonNull(firstFailure, "firstFailure");
        Objects.requireNonNull(seed, "seed");
        verdicts = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(verdicts, "verdicts")));
        if (runs < 0 || failures < 0 || invalid < 0 || failures + invalid > runs) {
            throw new IllegalArgumentException("inconsistent counts: " + runs + " runs, " + failures + " failing, " + invalid + " invalid");
        }
        if (firstFailure.isPresent() != failures > 0) {
            throw new IllegalArgumentException("firstFailure must be present exactly when failures > 0 (failures: " + failures + ")");
        }
    }

    /** Whether some run broke a promise of the scenario. */
    public boolean failed() {
        return failures > 0;
    }

    /** One line, e.g. {@code random(seed 42, 500): 500 runs, 3 failing, 0 invalid; {passed=497, ...}}. */
    @Override
    public String toString() {
        return explorer + ": " + runs + " runs, " + failures + " failing, " + invalid + " invalid"
                + (complete ? ", complete" : "") + "; " + verdicts;
    }
}
