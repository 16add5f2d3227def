package dev.lockstep.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a {@link Soak} saw.
 *
 * @param options          what was run
 * @param database         the database product and version
 * @param measured         how long the workers ran, until the last one returned
 * @param outcomes         per operation called: outcome ({@code ok}, {@code none}, {@code cancelled running}, an
 *                         exception's simple name) to count, most frequent first
 * @param unexpected       unexpected exceptions by {@code operation: outcome}, to count
 * @param firstUnexpected  the first exception of each unexpected kind, class and first line of its message
 * @param unexpectedStops  workers that did not return in time after the end, if any
 * @param sampling         what the sampler found
 * @param executions       what the execution ledger found
 * @param orphans          runs executed although the begin that created them did not return them
 */
public record SoakResult(
        Soak.Options options,
        String database,
        Duration measured,
        Map<SoakOperation, Map<String, Long>> outcomes,
        Map<String, Long> unexpected,
        Map<String, String> firstUnexpected,
        List<String> unexpectedStops,
        Sampling sampling,
        Executions executions,
        Orphans orphans) {

    /**
     * The sampler's figures.
     *
     * @param samples               samples taken
     * @param violatingRows         active rows of keys with more than one, summed over all samples
     * @param samplesWithViolations samples that found any
     * @param mostInOneSample       the most found by one sample
     */
    public record Sampling(long samples, long violatingRows, long samplesWithViolations, long mostInOneSample) {}

    /**
     * The execution ledger's figures.
     *
     * @param executions        executions (one per successful heartbeat)
     * @param runs              distinct runs executed
     * @param violations        overlapping executions of one key
     * @param staleOverlaps     overlaps allowed because one side's fenced write was older than {@code staleAfter}
     * @param cancelledOverlaps overlaps allowed because one side's run had just been cancelled while active
     * @param examples          the first violations, described
     */
    public record Executions(long executions, long runs, long violations, long staleOverlaps, long cancelledOverlaps,
            List<String> examples) {
        public Executions {
            examples = List.copyOf(examples);
        }
    }

    /**
     * Runs created by {@code begin} calls that did not return them.
     *
     * @param executed    executed by a worker all the same: one begin, two executions
     * @param leftPending still pending at the end
     * @param examples    the first orphans, described
     */
    public record Orphans(long executed, long leftPending, List<String> examples) {
        public Orphans {
            examples = List.copyOf(examples);
        }
    }

    public SoakResult {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(measured, "measured");
        outcomes = Map.copyOf(outcomes);
        unexpected = Map.copyOf(unexpected);
        firstUnexpected = Map.copyOf(firstUnexpected);
        unexpectedStops = List.copyOf(unexpectedStops);
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(executions, "executions");
        Objects.requireNonNull(orphans, "orphans");
    }

    /** Unexpected exceptions, and workers that did not stop, counted together. */
    public long unexpectedCount() {
        return unexpected.values().stream().mapToLong(Long::longValue).sum() + unexpectedStops.size();
    }

    /** No violation (ledger or sampler), no orphan, nothing unexpected. */
    public boolean passed() {
        return executions.violations() == 0 && sampling.violatingRows() == 0 && orphans.executed() == 0 && unexpectedCount() == 0;
    }

    /** Calls per second of {@code operation}, over the measured time. */
    public double callsPerSecond(SoakOperation operation) {
        long nanos = measured.toNanos();
        return nanos == 0 ? 0 : calls(operation) * 1e9 / nanos;
    }

    /** How often {@code operation} was called (or, for {@code die}, happened). */
    public long calls(SoakOperation operation) {
        return outcomes.getOrDefault(operation, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The report people read: calls and outcomes per operation, the checks, the verdict. */
    public String report() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "soak: %s on %s, %s, %.1f s (stale after %d ms, seed %d)%n%n",
                options.strategy().label(), database, Figures.contention(options.threads(), options.keys()),
                measured.toNanos() / 1e9, options.staleAfter().toMillis(), options.seed()));
        text.append(String.format(Locale.ROOT, "%-11s %10s %9s  %s%n", "operation", "calls", "calls/s", "outcomes"));
        for (SoakOperation operation : SoakOperation.values()) {
            Map<String, Long> seen = outcomes.get(operation);
            if (seen == null) {
                continue;
            }
            String described = seen.entrySet().stream().map(e -> e.getKey() + " " + Figures.count(e.getValue()))
                    .collect(Collectors.joining(", "));
            text.append(String.format(Locale.ROOT, "%-11s %10s %9s  %s%n", operation.label(), Figures.count(calls(operation)),
                    Figures.rate(callsPerSecond(operation)), described));
        }
        text.append('\n');
        text.append(String.format(Locale.ROOT, "sampler: %s samples (%s/s) on a connection of its own; %s violating rows "
                        + "(active rows of a key with more than one), in %s samples, at most %s in one%n",
                Figures.count(sampling.samples()), Figures.rate(sampling.samples() * 1e9 / Math.max(1, measured.toNanos())),
                Figures.count(sampling.violatingRows()), Figures.count(sampling.samplesWithViolations()),
                Figures.count(sampling.mostInOneSample())));
        text.append(String.format(Locale.ROOT, "ledger: %s executions of %s runs; %s overlapping executions of one key "
                        + "(allowed, not counted: %s beside a holder whose fenced write was over %d ms old, %s beside a run "
                        + "cancelled while active)%n",
                Figures.count(executions.executions()), Figures.count(executions.runs()), Figures.count(executions.violations()),
                Figures.count(executions.staleOverlaps()), options.staleAfter().toMillis(),
                Figures.count(executions.cancelledOverlaps())));
        executions.examples().forEach(example -> text.append("  violation: ").append(example).append('\n'));
        text.append(String.format(Locale.ROOT, "orphans: %s runs executed that the begin which created them did not return "
                        + "(%s more such runs left pending)%n",
                Figures.count(orphans.executed()), Figures.count(orphans.leftPending())));
        orphans.examples().forEach(example -> text.append("  orphan: ").append(example).append('\n'));
        text.append(String.format(Locale.ROOT, "unexpected exceptions: %s%n", Figures.count(unexpectedCount())));
        unexpected.forEach((kind, count) -> text.append("  ").append(Figures.count(count)).append(" x ").append(kind)
                .append(", first: ").append(firstUnexpected.get(kind)).append('\n'));
        unexpectedStops.forEach(stop -> text.append("  ").append(stop).append('\n'));
        text.append('\n');
        text.append(passed() ? "passed: no violation, no orphan, no unexpected exception"
                : "FAILED: " + failures()).append('\n');
        return text.toString();
    }

    private String failures() {
        StringBuilder why = new StringBuilder();
        append(why, executions.violations(), "overlapping executions");
        append(why, sampling.violatingRows(), "violating rows sampled");
        append(why, orphans.executed(), "orphan runs");
        append(why, unexpectedCount(), "unexpected exceptions");
        return why.toString();
    }

    private static void append(StringBuilder why, long count, String what) {
        if (count > 0) {
            why.append(why.length() == 0 ? "" : ", ").append(Figures.count(count)).append(' ').append(what);
        }
    }
}
