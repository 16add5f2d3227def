package dev.lockstep.harness.stress;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome frequency table of a stress run.
 *
 * @param scenario   the scenario's name
 * @param iterations how many iterations ran
 * @param counts     how often each outcome label was seen, in the order first seen
 * @param declared   what was declared about each label
 */
public record StressResult(String scenario, int iterations, Map<String, Integer> counts, Map<String, StressTest.Declared> declared) {

    public StressResult {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        declared = Map.copyOf(declared);
    }

    /** What a label counts as: as declared, else forbidden (an outcome nobody expected is a finding). */
    public StressTest.Expect expectOf(String label) {
        StressTest.Declared d = declared.get(label);
        return d == null ? StressTest.Expect.FORBIDDEN : d.expect();
    }

    public boolean forbiddenSeen() {
        return counts.keySet().stream().anyMatch(label -> expectOf(label) == StressTest.Expect.FORBIDDEN);
    }

    public int count(String label) {
        return counts.getOrDefault(label, 0);
    }

    /** The table, one row per outcome seen, then declared outcomes never seen. */
    public String table() {
        int width = Math.max(20, counts.keySet().stream().mapToInt(String::length).max().orElse(0));
        for (String label : declared.keySet()) {
            width = Math.max(width, label.length());
        }
        StringBuilder table = new StringBuilder(scenario).append(": ").append(iterations).append(" free-running iterations\n");
        String row = "  %-" + width + "s %9s  %-10s  %s%n";
        table.append(String.format(row, "outcome", "count", "expect", "description"));
        counts.forEach((label, count) -> table.append(String.format(row, label, count, expectOf(label),
                declared.containsKey(label) ? declared.get(label).description() : "not declared")));
        declared.forEach((label, d) -> {
            if (!counts.containsKey(label)) {
                table.append(String.format(row, label, 0, d.expect(), d.description()));
            }
        });
        return table.toString();
    }

    @Override
    public String toString() {
        return table();
    }
}
