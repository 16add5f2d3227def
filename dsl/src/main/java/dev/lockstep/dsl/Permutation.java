package dev.lockstep.dsl;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An order to run the named steps of a scenario's sessions in (PostgreSQL isolationtester's
 * {@code permutation}); written as the step names separated by spaces.
 */
public record Permutation(List<String> steps) {

    public Permutation {
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a permutation names at least one step");
        }
    }

    /** The permutation written as {@code s1a s2a s1c}. */
    public static Permutation parse(String text) {
        String trimmed = Objects.requireNonNull(text, "permutation").strip();
        return new Permutation(trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+")));
    }

    @Override
    public String toString() {
        return String.join(" ", steps);
    }
}
