package dev.lockstep.harness.explore;

import dev.lockstep.dsl.Outcomes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Counts the runs of one exploration. Keeps the first failing {@link Execution} and nothing else
 * that grows with the number of runs: one counter per distinct verdict summary, and one per distinct
 * outcome label up to {@link #MAX_OUTCOME_LABELS}, past which runs with a new label count as {@link #OTHER_OUTCOMES}.
 */
final class Tally {

    /** How many distinct outcome labels are counted one by one. */
    static final int MAX_OUTCOME_LABELS = 1_000;
    /** Where runs count whose label came after {@link #MAX_OUTCOME_LABELS} others. */
    static final String OTHER_OUTCOMES = "other outcomes (more than 1,000 labels: tally by a coarser one, Explorer.tallyOutcomesBy)";

    /** Whether a run that did not follow its schedule is a failure: a replay's (the caller's schedule) is. */
    private final boolean unrealizedFails;
    private final Function<Outcomes, String> outcomeLabel;

    private final Map<String, Integer> verdicts = new LinkedHashMap<>();
    private final Map<String, Integer> outcomes = new LinkedHashMap<>();
    private int runs;
    private int failures;
    private int invalid;
    private Execution firstFailure;
    private int firstFailureRun;

    /**
     * @param unrealizedFails true: a run that did not follow its schedule ({@link Verdict.Unrealized}) counts
     *                        as invalid and as failing; false: as invalid only
     * @param outcomeLabel    what a run's outcomes are counted under
     */
    Tally(boolean unrealizedFails, Function<Outcomes, String> outcomeLabel) {
        this.unrealizedFails = unrealizedFails;
        this.outcomeLabel = Objects.requireNonNull(outcomeLabel, "outcomeLabel");
    }

    /** Records one run; returns whether it counted as failing. */
    boolean record(Execution execution) {
        Objects.requireNonNull(execution, "the ScheduleRunner returned no Execution");
        Verdict verdict = Objects.requireNonNull(execution.verdict(), "the ScheduleRunner returned an Execution without a verdict");
        runs++;
        verdicts.merge(verdict.summary(), 1, Integer::sum);
        String label = Objects.requireNonNull(outcomeLabel.apply(execution.outcomes()), "the outcome label must not be null");
        outcomes.merge(outcomes.containsKey(label) || outcomes.size() < MAX_OUTCOME_LABELS ? label : OTHER_OUTCOMES, 1, Integer::sum);
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
            firstFailureRun = runs;
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
        return new Exploration(explorer, runs, failures, invalid, Optional.ofNullable(firstFailure), complete, seed, verdicts,
                outcomes, firstFailureRun);
    }
}
