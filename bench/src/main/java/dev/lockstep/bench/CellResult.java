package dev.lockstep.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What one cell measured. Every attempt ends as exactly one of a claim, a rejection or an error, so
 * {@code attempts == claims + rejections + errors}; the two are counted separately, and a mismatch
 * would be a bug in the benchmark.
 *
 * @param subject         what was measured
 * @param threads         worker threads, each with its own pooled connection
 * @param keys            how many keys the workers picked from, uniformly
 * @param duration        how long the measurement ran (after the warm-up), as measured
 * @param attempts        claim cycles begun
 * @param claims          cycles that acquired the key and released it again
 * @param rejections      cycles refused because another holder had the key (the expected outcome under contention)
 * @param errors          cycles that failed in any other way; see {@code errorKinds}
 * @param violations      times a holder entered the execution ledger while another holder of the same key was in it
 * @param p50Micros       median cycle latency, whatever the outcome, in microseconds
 * @param p99Micros       99th percentile
 * @param p999Micros      99.9th percentile
 * @param errorKinds      error descriptions (exception class and first line of its message) to how often each was seen
 */
public record CellResult(
        Subject subject,
        int threads,
        int keys,
        Duration duration,
        long attempts,
        long claims,
        long rejections,
        long errors,
        long violations,
        long p50Micros,
        long p99Micros,
        long p999Micros,
        Map<String, Long> errorKinds) {

    public CellResult {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(duration, "duration");
        errorKinds = Map.copyOf(errorKinds);
    }

    /** Successful claim cycles per second of measurement. */
    public double claimsPerSecond() {
        long nanos = duration.toNanos();
        return nanos == 0 ? 0 : claims * 1e9 / nanos;
    }

    /** Whether this cell showed the subject can be trusted: safe by design and no violation seen. */
    public boolean safeHere() {
        return subject.isSafe() && violations == 0;
    }
}
