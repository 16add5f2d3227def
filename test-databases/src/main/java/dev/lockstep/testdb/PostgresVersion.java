package dev.lockstep.testdb;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL release number, as the tools print it ({@code pg_ctl (PostgreSQL) 15.20 (Debian
 * 15.20-0+deb12u1)}), ordered numerically: 9.6 &lt; 10.1 &lt; 15.2 &lt; 15.20.
 *
 * @param numbers the dot-separated numbers, e.g. {@code [15, 20]}
 */
record PostgresVersion(List<Integer> numbers) implements Comparable<PostgresVersion> {

    private static final Pattern IN_TOOL_OUTPUT = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+(?:\\.\\d+)*)");

    PostgresVersion {
        numbers = List.copyOf(numbers);
        if (numbers.isEmpty()) {
            throw new IllegalArgumentException("a version has at least one number");
        }
    }

    /** The version in the output of {@code pg_ctl --version} or similar; empty if there is none. */
    static Optional<PostgresVersion> parseToolOutput(String output) {
        Matcher matcher = IN_TOOL_OUTPUT.matcher(output);
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(new PostgresVersion(
                Arrays.stream(matcher.group(1).split("\\.")).map(Integer::valueOf).toList()));
    }

    @Override
    public int compareTo(PostgresVersion other) {
        for (int i = 0; i < Math.min(numbers.size(), other.numbers.size()); i++) {
            int order = Integer.compare(numbers.get(i), other.numbers.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(numbers.size(), other.numbers.size());
    }

    @Override
    public String toString() {
        return String.join(".", numbers.stream().map(String::valueOf).toList());
    }
}
