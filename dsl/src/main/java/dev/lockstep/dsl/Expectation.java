package dev.lockstep.dsl;

import java.util.Objects;
import java.util.function.Predicate;

/** A statement about what the actors returned or threw, e.g. "exactly one actor got a claim". */
public record Expectation(String description, Predicate<Outcomes> test) {

    public Expectation {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(test, "test");
    }
}
