package dev.lockstep.harness.explore;

import dev.lockstep.dsl.Outcomes;
import dev.lockstep.dsl.Schedule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every schedule, fewest preemptions first: stateless model checking over a cost-ordered worklist.
 *
 * <ol>
 *   <li>The worklist holds prefixes (lists of decisions), each with its cost: the preemptions it
 *       contains. It starts with the empty prefix, cost 0.
 *   <li>Take the cheapest prefix (first in, first out among equal costs) and run it with a decider
 *       that follows it, then continues by default (the previous actor while ready, else the first
 *       ready one). The default continuation adds no preemption, so the run has exactly the prefix's cost.
 *   <li>A run that ended {@link Verdict.Unrealized} (the database did not replay the prefix the
 *       same way) is counted and not expanded.
 *   <li>Otherwise, for every decision {@code i} at or past the prefix and every ready actor {@code a}
 *       other than the one taken, add {@code schedule[0..i) + a} with cost: the preemptions within
 *       {@code schedule[0..i)}, plus one when {@code a} preempts {@code schedule[i-1]} (still ready at {@code i}).
 *   <li>With a preemption bound, a prefix that would cost more than the bound is not added: the
 *       search then covers every schedule with at most that many preemptions (bounded model
 *       checking, as CHESS does: most concurrency bugs need one or two).
 *   <li>Stop at the first failing run (unless keep going), when the cap of runs is reached, or when
 *       the worklist is empty: then every schedule (within the bound) was run, and the exploration
 *       is complete.
 * </ol>
 *
 * <p>Guarantee, when the runner is deterministic (the same decisions give the same ready sets):
 * every schedule is run exactly once, since a schedule is produced only by the prefix ending at its
 * last departure from the default continuation; and runs come in non-decreasing order of
 * preemptions, so the first failure found has the fewest preemptions of any failing schedule.
 */
final class ExhaustiveSearch implements Search {

    /** No bound on the preemptions of a schedule. */
    static final int UNBOUNDED = Integer.MAX_VALUE;

    private final int cap;
    private final int preemptionBound;

    ExhaustiveSearch(int cap, int preemptionBound) {
        if (cap < 1) {
            throw new IllegalArgumentException("exhaustive explorer: cap must be at least 1 run, got " + cap);
        }
        if (preemptionBound < 0) {
            throw new IllegalArgumentException("exhaustive explorer: the preemption bound must not be negative, got " + preemptionBound);
        }
        this.cap = cap;
        this.preemptionBound = preemptionBound;
    }

    /**
     * A prefix not run yet: {@code taken[0..at) + actor}; {@code taken} is the schedule of the run it
     * branches from, shared by all its branches, so a queued prefix costs a few words.
     */
    private record Branch(List<String> taken, int at, String actor) {
        static final Branch ROOT = new Branch(List.of(), 0, null);

        List<String> prefix() {
            if (actor == null) {
                return List.of();
            }
            List<String> prefix = new ArrayList<>(at + 1);
            prefix.addAll(taken.subList(0, at));
            prefix.add(actor);
            return prefix;
        }
    }

    @Override
    public Exploration explore(ScheduleRunner runner, boolean keepGoing, Function<Outcomes, String> outcomeLabel, String description) {
        TreeMap<Integer, ArrayDeque<Branch>> worklist = new TreeMap<>();
        worklist.computeIfAbsent(0, cost -> new ArrayDeque<>()).add(Branch.ROOT);
        Tally tally = new Tally(false, outcomeLabel);
        boolean stopped = false;
        while (!worklist.isEmpty() && tally.runs() < cap) {
            List<String> prefix = poll(worklist);
            Execution execution = runner.run(new ReplayDecider(new Schedule(prefix), ReplayDecider.Rest.WITHOUT_PREEMPTION));
            boolean failed = tally.record(execution);
            if (execution.verdict() instanceof Verdict.Unrealized) {
                continue;
            }
            if (failed && !keepGoing) {
                stopped = true;
                break;
            }
            expand(execution, prefix, worklist, preemptionBound);
        }
        boolean complete = worklist.isEmpty() && !stopped && tally.invalid() == 0;
        return tally.result(description, complete, Optional.empty());
    }

    private static List<String> poll(TreeMap<Integer, ArrayDeque<Branch>> worklist) {
        Map.Entry<Integer, ArrayDeque<Branch>> cheapest = worklist.firstEntry();
        Branch branch = cheapest.getValue().poll();
        if (cheapest.getValue().isEmpty()) {
            worklist.remove(cheapest.getKey());
        }
        return branch.prefix();
    }

    private static void expand(Execution execution, List<String> prefix, TreeMap<Integer, ArrayDeque<Branch>> worklist, int bound) {
        List<String> taken = execution.schedule().steps();
        List<List<String>> readyAt = execution.readyAt();
        if (readyAt.size() != taken.size() || taken.size() < prefix.size() || !taken.subList(0, prefix.size()).equals(prefix)) {
            throw new IllegalStateException("the ScheduleRunner did not follow the decider: asked for prefix " + String.join(" ", prefix)
                    + ", ran " + execution.schedule() + " with " + readyAt.size() + " ready sets for " + taken.size() + " decisions");
        }
        int preemptions = 0;
        for (int i = 0; i < taken.size(); i++) {
            List<String> ready = readyAt.get(i);
            String previous = i == 0 ? null : taken.get(i - 1);
            boolean previousReady = previous != null && ready.contains(previous);
            if (i >= prefix.size()) {
                for (String alternative : ready) {
                    int cost = preemptions + (previousReady && !alternative.equals(previous) ? 1 : 0);
                    if (!alternative.equals(taken.get(i)) && cost <= bound) {
                        worklist.computeIfAbsent(cost, c -> new ArrayDeque<>()).add(new Branch(taken, i, alternative));
                    }
                }
            }
            if (previousReady && !taken.get(i).equals(previous)) {
                preemptions++;
            }
        }
    }

    @Override
    public String describe() {
        return "exhaustive(cap " + cap + (preemptionBound == UNBOUNDED ? "" : ", preemptions <= " + preemptionBound) + ")";
    }

    @Override
    public Optional<Long> seed() {
        return Optional.empty();
    }
}
