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
 * @param broken     for each label, how many of its iterations broke a promise (invariant or expectation), and which first
 * @param declared   what was declared about each label
 */
public record StressResult(String scenario, int iterations, Map<String, Integer> counts, Map<String, Broken> broken,
                           Map<String, StressTest.Declared> declared) {

    /** Iterations of one label that broke a promise: how many, and the first promise (invariant or expectation) seen broken. */
    public record Broken(int iterations, String promise) {}

    public StressResult {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        broken = Map.copyOf(broken);
        declared = Map.copyOf(declared);
    }

    /** Folds "label NUL promise" tallies into one Broken per label. */
    static Map<String, Broken> brokenByLabel(Map<String, Integer> tallies) {
        Map<String, Broken> byLabel = new LinkedHashMap<>();
        tallies.forEach((key, count) -> {
            String[] parts = key.split("\u0000", 2);
            byLabel.merge(parts[0], new Broken(count, parts[1]), (a, b) -> new Broken(a.iterations() + b.iterations(), a.promise()));
        });
        return byLabel;
    }

    /** How many iterations of {@code label} broke a promise. */
    public int brokenCount(String label) {
        Broken b = broken.get(label);
        return b == null ? 0 : b.iterations();
    }

    /** What a label counts as: as declared, else forbidden (an outcome nobody expected is a finding). */
    public StressTest.Expect expectOf(String label) {
        StressTest.Declared d = declared.get(label);
        return d == null ? StressTest.Expect.FORBIDDEN : d.expect();
    }

    /** Whether a forbidden or undeclared outcome was seen, or any iteration broke a promise. */
    public boolean forbiddenSeen() {
        return !broken.isEmpty() || counts.keySet().stream().anyMatch(label -> expectOf(label) == StressTest.Expect.FORBIDDEN);
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
        String row = "  %-" + width + "s %9s %9s  %-10s  %s%n";
        table.append(String.format(row, "outcome", "count", "broke", "expect", "description"));
        counts.forEach((label, count) -> {
            Broken b = broken.get(label);
            String description = declared.containsKey(label) ? declared.get(label).description() : "not declared";
            if (b != null) {
                description += "; broke: " + b.promise();
            }
            table.append(String.format(row, label, count, brokenCount(label),
                    b != null ? StressTest.Expect.FORBIDDEN : expectOf(label), description));
        });
        declared.forEach((label, d) -> {
            if (!counts.containsKey(label)) {
                table.append(String.format(row, label, 0, 0, d.expect(), d.description()));
            }
        });
        return table.toString();
    }

    @Override
    public String toString() {
        return table();
    }
}
