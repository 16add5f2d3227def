package dev.lockstep.harness.explore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts the runs of one exploration. Keeps the first failing {@link Execution} and nothing else
 * that grows with the number of runs: one verdict-summary counter per distinct summary.
 */
final class Tally {

    /** Whether a run that did not follow its schedule is a failure: a replay's (the caller's schedule) is. */
    private final boolean unrealizedFails;

    private final Map<String, Integer> verdicts = new LinkedHashMap<>();
    private int runs;
    private int failures;
    private int invalid;
    private Execution firstFailure;

    /**
     * @param unrealizedFails true: a run that did not follow its schedule ({@link Verdict.Unrealized}) counts
     *                        as invalid and as failing; false: as invalid only
     */
    Tally(boolean unrealizedFails) {
        this.unrealizedFails = unrealizedFails;
    }

    /** Records one run; returns whether it counted as failing. */
    boolean record(Execution execution) {
        Objects.requireNonNull(execution, "the ScheduleRunner returned no Execution");
        Verdict verdict = Objects.requireNonNull(execution.verdict(), "the ScheduleRunner returned an Execution without a verdict");
        runs++;
        verdicts.merge(verdict.summary(), 1, Integer::sum);
        if (verdict instanceof Verdict.Unrealized) {
            invalid++;
            if (!unrealizedFails) {
                return false;
            }
        }
        if (!verdict.failed()) {
            return false;
        }
        failures++;
        if (firstFailure == null) {
            firstFailure = execution;
        }
        return true;
    }

    int runs() {
        return runs;
    }

    int invalid() {
        return invalid;
    }

    Exploration result(String explorer, boolean complete, Optional<Long> seed) {
        return new Exploration(explorer, runs, failures, invalid, Optional.ofNullable(firstFailure), complete, seed, verdicts);
    }
}
