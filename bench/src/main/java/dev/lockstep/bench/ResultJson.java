package dev.lockstep.bench;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The result as JSON, written by hand: a handful of fields does not need a library. */
final class ResultJson {

    private ResultJson() {}

    static String of(BenchmarkResult result) {
        Benchmark.Options options = result.options();
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"database\": ").append(string(result.database())).append(",\n");
        json.append("  \"options\": {\"subjects\": [")
                .append(options.subjects().stream().map(s -> string(s.label())).collect(Collectors.joining(", ")))
                .append("], \"threads\": ").append(options.threads())
                .append(", \"keys\": ").append(options.keys())
                .append(", \"duration_ms\": ").append(options.duration().toMillis())
                .append(", \"warmup_ms\": ").append(options.warmup().toMillis())
                .append(", \"turns\": ").append(options.turns())
                .append(", \"work_us\": ").append(options.work().toNanos() / 1000)
                .append(", \"seed\": ").append(options.seed()).append("},\n");
        json.append("  \"cells\": [");
        for (int i = 0; i < result.cells().size(); i++) {
            CellResult cell = result.cells().get(i);
            json.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    {\"subject\": %s, \"safety\": %s, \"threads\": %d, \"keys\": %d, \"duration_ms\": %d, "
                            + "\"attempts\": %d, \"claims\": %d, \"rejections\": %d, \"errors\": %d, \"violations\": %d, "
                            + "\"claims_per_s\": %.1f, \"p50_us\": %d, \"p99_us\": %d, \"p999_us\": %d, \"error_kinds\": %s}",
                    string(cell.subject().label()), string(cell.subject().safety().dataLabel()), cell.threads(), cell.keys(),
                    cell.duration().toMillis(), cell.attempts(), cell.claims(), cell.rejections(), cell.errors(),
                    cell.violations(), cell.claimsPerSecond(), cell.p50Micros(), cell.p99Micros(), cell.p999Micros(),
                    object(cell.errorKinds())));
        }
        json.append(result.cells().isEmpty() ? "],\n" : "\n  ],\n");
        json.append("  \"recommendation\": {\"subject\": ")
                .append(result.recommendation().subject().map(s -> string(s.label())).orElse("null"))
                .append(", \"explanation\": ").append(string(result.recommendation().explanation())).append("}\n");
        return json.append("}\n").toString();
    }

    private static String object(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .map(entry -> string(entry.getKey()) + ": " + entry.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String string(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
