package dev.lockstep.harness.explore;

import dev.lockstep.dsl.Outcomes;
import dev.lockstep.dsl.Schedule;
import java.util.Objects;
import java.util.function.Function;

/**
 * Chooses the schedules a scenario runs under: the entry point of this package. Every explorer is
 * immutable and keeps no state between explorations; seeds are given, never drawn.
 *
 * <ul>
 *   <li>{@link #replay}: one given schedule, exactly (a {@link Replay});
 *   <li>{@link #random}: random walks, reproducible from a seed;
 *   <li>{@link #pct}: PCT randomized priorities, which find a bug of a given depth with a
 *       probability that does not shrink with the length of the runs;
 *   <li>{@link #exhaustive}: every schedule, fewest preemptions first, so the first failure found
 *       is already as small as it gets.
 * </ul>
 *
 * <pre>{@code
 * Exploration found = Explorer.exhaustive(10_000).explore(runner);
 * found.firstFailure().ifPresent(failing -> System.out.println(
 *     TraceReport.of("start-start", "SQLite", failing).withExplorer(found.explorer()).render()));
 * }</pre>
 *
 * <p>Randomized and exhaustive explorers stop at the first failing run unless {@link #keepGoing()}.
 * An {@link Exploration} keeps only the first failing run, which run it was, and counts per verdict
 * and per outcome, so memory stays flat over any number of runs.
 */
public sealed class Explorer permits Explorer.Replay {

    private final Search search;
    private final boolean keepGoing;
    private final Function<Outcomes, String> outcomeLabel;

    private Explorer(Search search, boolean keepGoing, Function<Outcomes, String> outcomeLabel) {
        this.search = search;
        this.keepGoing = keepGoing;
        this.outcomeLabel = outcomeLabel;
    }

    private Explorer(Search search) {
        this(search, false, Outcomes::label);
    }

    /**
     * One run that follows {@code schedule} exactly: its decisions are the run's decisions, one for one.
     * The run fails with {@link Verdict.ScheduleInvalid} at a decision naming an actor that cannot move
     * (or when every actor has finished before the schedule ends), and with
     * {@link Verdict.ScheduleTooShort} when the schedule ends while actors can still move, unless
     * {@link Replay#thenInDeclarationOrder()} or {@link Replay#thenWithoutPreemption()} says who moves then.
     */
    public static Replay replay(Schedule schedule) {
        return new Replay(new ReplaySearch(schedule, ReplayDecider.Rest.EXACT));
    }

    /** {@code schedules} runs, each picking uniformly among the ready actors at every decision. */
    public static Explorer random(long seed, int schedules) {
        return new Explorer(new RandomSearch(seed, schedules));
    }

    /**
     * {@code schedules} PCT runs, each with random actor priorities and {@code depth - 1} random
     * priority-change points; {@code depth} is the number of ordering constraints the bug sought needs
     * (2 for a check-then-act race between two actors).
     */
    public static Explorer pct(long seed, int schedules, int depth) {
        return new Explorer(new PctSearch(seed, schedules, depth));
    }

    /** Every schedule, fewest preemptions first, up to {@code cap} runs. */
    public static Explorer exhaustive(int cap) {
        return new Explorer(new ExhaustiveSearch(cap, ExhaustiveSearch.UNBOUNDED));
    }

    /**
     * Every schedule with at most {@code preemptionBound} preemptions, fewest first, up to {@code cap}
     * runs: for scenarios whose schedules are too many to run them all. Switches forced by an actor
     * that waits in the database are free, so a check-then-act race or a two-lock deadlock between two
     * actors needs one preemption; the exploration is {@link Exploration#complete()}
     * when every schedule within the bound was run.
     */
    public static Explorer exhaustive(int cap, int preemptionBound) {
        return new Explorer(new ExhaustiveSearch(cap, preemptionBound));
    }

    /**
     * A decider that follows {@code schedule}, for building explorers: decision {@code i} is
     * {@code schedule.get(i)} even when that actor cannot move (the runner reports
     * {@link Verdict.ScheduleInvalid}); past the end, the actor that moved last while it is ready, else
     * the first ready actor, as {@link Replay#thenWithoutPreemption()}. Stateless and reusable. To
     * reproduce a run, use {@link #replay}, which is exact.
     */
    public static Decider follow(Schedule schedule) {
        return new ReplayDecider(Objects.requireNonNull(schedule, "schedule"), ReplayDecider.Rest.WITHOUT_PREEMPTION);
    }

    /** This explorer, made to run all its schedules instead of stopping at the first failing run. */
    public Explorer keepGoing() {
        return new Explorer(search, true, outcomeLabel);
    }

    /**
     * This explorer, tallying each run's outcomes ({@link Exploration#outcomes()}) under {@code label}
     * instead of {@link Outcomes#label()}: e.g. {@link Outcomes#typeLabel()} when the actors return
     * values that differ from run to run, such as ids.
     */
    public Explorer tallyOutcomesBy(Function<Outcomes, String> label) {
        return new Explorer(search, keepGoing, Objects.requireNonNull(label, "label must not be null"));
    }

    /** Makes the runs; every call starts afresh (the same seed makes the same runs again). */
    public Exploration explore(ScheduleRunner runner) {
        Objects.requireNonNull(runner, "runner");
        return search.explore(runner, keepGoing, outcomeLabel, toString());
    }

    /** e.g. {@code exhaustive(cap 10000)}, {@code random(seed 42, 500) keep going}, {@code replay(A B) then declaration order}. */
    @Override
    public String toString() {
        return search.describe() + (keepGoing ? " keep going" : "");
    }

    /**
     * An explorer that runs one given schedule: what {@link Explorer#replay} makes. Its failing run is
     * reported as it ran, never shrunk into another schedule, and a run that did not follow the
     * schedule is a failure ({@link Verdict.Unrealized}).
     */
    public static final class Replay extends Explorer {

        private final ReplaySearch replay;
        private final Function<Outcomes, String> outcomeLabel;

        private Replay(ReplaySearch replay) {
            this(replay, Outcomes::label);
        }

        private Replay(ReplaySearch replay, Function<Outcomes, String> outcomeLabel) {
            super(replay, false, outcomeLabel);
            this.replay = replay;
            this.outcomeLabel = outcomeLabel;
        }

        /**
         * This replay, letting the rest of the run, past the end of the schedule, move the first ready
         * actor in declaration order at every decision (A until it finishes or waits, then B, ...).
         */
        public Replay thenInDeclarationOrder() {
            return new Replay(replay.withRest(ReplayDecider.Rest.DECLARATION_ORDER), outcomeLabel);
        }

        /**
         * This replay, letting the rest of the run, past the end of the schedule, move the actor that
         * moved last while it can, else the first ready actor in declaration order: the rest adds no
         * preemption (what the exhaustive explorer and the shrinker do past a prefix).
         */
        public Replay thenWithoutPreemption() {
            return new Replay(replay.withRest(ReplayDecider.Rest.WITHOUT_PREEMPTION), outcomeLabel);
        }

        /** This replay: it makes one run, so there is nothing to keep going to. */
        @Override
        public Replay keepGoing() {
            return this;
        }

        /** This replay, tallying its run's outcomes under {@code label} (still a replay: its run is never shrunk). */
        @Override
        public Replay tallyOutcomesBy(Function<Outcomes, String> label) {
            return new Replay(replay, Objects.requireNonNull(label, "label must not be null"));
        }

        /** Makes the one run and returns it, whatever its verdict (the trace included, if the runner keeps one). */
        public Execution run(ScheduleRunner runner) {
            return replay.run(Objects.requireNonNull(runner, "runner"));
        }
    }
}
