package dev.lockstep.bench;

import java.time.Duration;
import java.util.Map;

/** Hand-made cells for the unit tests: one second of measurement, so claims/s equals claims. */
final class Cells {

    private Cells() {}

    static CellResult cell(Subject subject, int threads, int keys, long claims, long p99Micros) {
        return new CellResult(subject, threads, keys, Duration.ofSeconds(1), claims + 10, claims, 10, 0, 0,
                p99Micros / 4, p99Micros, p99Micros * 2, Map.of());
    }

    static CellResult withViolations(CellResult cell, long violations) {
        return new CellResult(cell.subject(), cell.threads(), cell.keys(), cell.duration(), cell.attempts(), cell.claims(),
                cell.rejections(), cell.errors(), violations, cell.p50Micros(), cell.p99Micros(), cell.p999Micros(),
                cell.errorKinds());
    }

    static CellResult withErrors(CellResult cell, long errors, String kind) {
        return new CellResult(cell.subject(), cell.threads(), cell.keys(), cell.duration(), cell.attempts() + errors,
                cell.claims(), cell.rejections(), errors, cell.violations(), cell.p50Micros(), cell.p99Micros(),
                cell.p999Micros(), Map.of(kind, errors));
    }
}
