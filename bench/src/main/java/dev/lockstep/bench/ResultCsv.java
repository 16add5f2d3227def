package dev.lockstep.bench;

import java.util.List;
import java.util.Locale;

/** CSV: a header line, then one line per cell. Plain numbers (no grouping), a dot for decimals. */
final class ResultCsv {

    static final String HEADER = "subject,safety,threads,keys,duration_ms,attempts,claims,rejections,errors,violations,"
            + "claims_per_s,p50_us,p99_us,p999_us";

    private ResultCsv() {}

    static String of(List<CellResult> cells) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (CellResult cell : cells) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%.1f,%d,%d,%d%n",
                    cell.subject().label(), cell.subject().safety().dataLabel(), cell.threads(), cell.keys(),
                    cell.duration().toMillis(), cell.attempts(), cell.claims(), cell.rejections(), cell.errors(),
                    cell.violations(), cell.claimsPerSecond(), cell.p50Micros(), cell.p99Micros(), cell.p999Micros()));
        }
        return csv.toString();
    }
}
