package dev.lockstep.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a benchmark measured, in the order it ran, with the recommendation drawn from it.
 *
 * @param database       the database product and version measured
 * @param options        what was asked
 * @param cells          one result per subject x threads x keys
 * @param recommendation the strategy to pick, and why
 */
public record BenchmarkResult(String database, Benchmark.Options options, List<CellResult> cells,
        Recommendation recommendation) {

    public BenchmarkResult {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(options, "options");
        cells = List.copyOf(cells);
        Objects.requireNonNull(recommendation, "recommendation");
    }

    /** An aligned text table, one row per cell, followed by the errors seen (if any). */
    public String table() {
        return ResultTable.of(cells);
    }

    /** CSV with a header line and one line per cell; comma-separated, numbers without grouping. */
    public String csv() {
        return ResultCsv.of(cells);
    }

    /** The whole result as a JSON object: database, options, cells, recommendation. */
    public String json() {
        return ResultJson.of(this);
    }

    /**
     * One subject's figures at every contention measured, beside the references, e.g. {@code 1,240 claims/s
     * at 4 threads x 1 key (0.93x raw JDBC, 1.60x ShedLock), p99 2.1 ms; 9,800 claims/s at 4 threads x 1,000
     * keys (...)}; empty text when the subject was not measured.
     */
    public String figures(Subject subject) {
        return cells.stream().filter(cell -> cell.subject() == subject)
                .map(cell -> Recommender.figures(cell, cells))
                .collect(Collectors.joining("; "));
    }

    /** Writes a PNG bar chart of claims/s: one group of bars per threads x keys, one bar per subject. */
    public void writeChart(Path png) throws IOException {
        ThroughputChart.write(this, png);
    }
}
