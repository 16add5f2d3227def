package dev.lockstep.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** One worker's counts and latency histogram (microseconds); merged into a cell's after the phase. */
final class WorkerTally {

    /** Distinct error descriptions kept per cell; the rest are counted under one line. */
    static final int MAX_ERROR_KINDS = 10;
    static final String OTHER_ERRORS = "(other errors)";

    private final Histogram latencyMicros = new Histogram(3);
    private final Map<String, Long> errorKinds = new LinkedHashMap<>();
    private long attempts;
    private long claims;
    private long rejections;
    private long errors;

    void attempted() {
        attempts++;
    }

    void claimed() {
        claims++;
    }

    void rejected() {
        rejections++;
    }

    void failed(Exception e) {
        errors++;
        addErrors(describe(e), 1);
    }

    void latency(long nanos) {
        latencyMicros.recordValue(Math.max(0, nanos / 1000));
    }

    void add(WorkerTally other) {
        attempts += other.attempts;
        claims += other.claims;
        rejections += other.rejections;
        errors += other.errors;
        latencyMicros.add(other.latencyMicros);
        other.errorKinds.forEach(this::addErrors);
    }

    CellResult toResult(CellRunner.Cell cell, Duration measured, long violations) {
        boolean any = latencyMicros.getTotalCount() > 0;
        return new CellResult(cell.subject(), cell.threads(), cell.keys(), measured, attempts, claims, rejections, errors,
                violations,
                any ? latencyMicros.getValueAtPercentile(50) : 0,
                any ? latencyMicros.getValueAtPercentile(99) : 0,
                any ? latencyMicros.getValueAtPercentile(99.9) : 0,
                errorKinds);
    }

    private void addErrors(String kind, long count) {
        String key = errorKinds.containsKey(kind) || errorKinds.size() < MAX_ERROR_KINDS ? kind : OTHER_ERRORS;
        errorKinds.merge(key, count, Long::sum);
    }

    /** The exception's class and the first line of its message, at most 200 characters. */
    static String describe(Throwable e) {
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        String text = e.getClass().getSimpleName() + ": " + message;
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }
}
