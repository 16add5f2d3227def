package dev.lockstep.harness.explore;

import dev.lockstep.dsl.Schedule;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reduces a failing run to a smaller one that breaks the same promise, re-running every candidate
 * for real.
 *
 * <ol>
 *   <li>The current run starts as the failing one. Smaller means fewer preemptions, then fewer
 *       decisions ({@link Execution#preemptions()}, then the schedule's size).
 *   <li>From the current run's schedule, list the candidates ({@link ShrinkCandidates}: prefixes,
 *       one decision removed, blocks moved, blocks of one actor merged), most promising first.
 *   <li>Run each candidate not tried before through the runner, following it with
 *       {@link Explorer#follow}. The first run that fails with the same {@link Verdict#summary()} and
 *       is smaller than the current run becomes the current run; go back to 2.
 *   <li>Stop when no candidate is better or {@code maxRuns} runs were made.
 * </ol>
 *
 * <p>Guarantee: the result is the original or a run the runner really made, which failed with the
 * original's summary. Deterministic: the same runner answers give the same candidates in the same
 * order. A run that ends {@link Verdict.Unrealized} (a candidate naming an actor that cannot
 * move) counts as a run tried and is never taken; nor is such a run ever shrunk: it broke no promise.
 */
public final class Shrinker {

    private Shrinker() {}

    public static Shrunk shrink(ScheduleRunner runner, Execution failing, int maxRuns) {
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(failing, "failing");
        if (!failing.verdict().failed() || failing.verdict() instanceof Verdict.Unrealized) {
            throw new IllegalArgumentException("only a run that broke a promise can be shrunk; this one ended: " + failing.verdict().summary()
                    + " (schedule " + failing.schedule() + ")");
        }
        if (maxRuns < 0) {
            throw new IllegalArgumentException("maxRuns must not be negative, got " + maxRuns);
        }
        String promise = failing.verdict().summary();
        Set<List<String>> tried = new HashSet<>();
        tried.add(failing.schedule().steps());
        Execution best = failing;
        int runs = 0;
        boolean improved = true;
        while (improved && runs < maxRuns) {
            improved = false;
            for (List<String> candidate : ShrinkCandidates.of(best.schedule().steps())) {
                if (runs >= maxRuns) {
                    break;
                }
                if (!tried.add(candidate)) {
                    continue;
                }
                Execution run = runner.run(Explorer.follow(new Schedule(candidate)));
                runs++;
                if (!(run.verdict() instanceof Verdict.Unrealized)) {
                    tried.add(run.schedule().steps()); // a complete schedule: replaying it gives this very run
                }
                if (run.verdict().failed() && run.verdict().summary().equals(promise) && smaller(run, best)) {
                    best = run;
                    improved = true;
                    break;
                }
            }
        }
        return new Shrunk(failing, best, runs);
    }

    private static boolean smaller(Execution candidate, Execution best) {
        int byPreemptions = Integer.compare(candidate.preemptions(), best.preemptions());
        return byPreemptions < 0 || byPreemptions == 0 && candidate.schedule().size() < best.schedule().size();
    }
}
