package dev.lockstep.bench;

import java.util.ArrayList;
import java.util.List;

/** The aligned text table: the subject left-aligned, every figure right-aligned. */
final class ResultTable {

    static final List<String> HEADERS = List.of("subject", "safe", "threads", "keys", "claims/s", "p50 µs", "p99 µs",
            "p99.9 µs", "claims", "rejections", "errors", "violations");

    private ResultTable() {}

    static String of(List<CellResult> cells) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (CellResult cell : cells) {
            rows.add(List.of(cell.subject().label(), safety(cell.subject()), Integer.toString(cell.threads()),
                    Figures.count(cell.keys()), Figures.rate(cell.claimsPerSecond()), Figures.count(cell.p50Micros()),
                    Figures.count(cell.p99Micros()), Figures.count(cell.p999Micros()), Figures.count(cell.claims()),
                    Figures.count(cell.rejections()), Figures.count(cell.errors()), Figures.count(cell.violations())));
        }
        int[] widths = new int[HEADERS.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String value = row.get(i);
                String padding = " ".repeat(widths[i] - value.length());
                line.append(i == 0 ? "" : "  ").append(i <= 1 ? value + padding : padding + value);
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        for (CellResult cell : cells) {
            if (cell.errors() > 0) {
                table.append("errors in ").append(cell.subject().label()).append(" at ")
                        .append(Figures.contention(cell.threads(), cell.keys())).append(":\n");
                cell.errorKinds().entrySet().stream()
                        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                        .forEach(kind -> table.append("  ").append(Figures.count(kind.getValue())).append("x ")
                                .append(kind.getKey()).append('\n'));
            }
        }
        return table.toString();
    }

    /** {@code yes}, {@code conditional} or, so that nobody mistakes the naive guard, {@code NO (unsafe)}. */
    static String safety(Subject subject) {
        return subject.safety().tableLabel();
    }
}
