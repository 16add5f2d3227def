package dev.lockstep.bench;

import java.util.Objects;
import java.util.Optional;

/**
 * The strategy a benchmark recommends, and why. Empty when no lock-core strategy qualified (every
 * one measured was unsafe, showed violations or errors); the explanation then says what ruled each out.
 *
 * @param subject     the recommended strategy, never a reference and never an unsafe one
 * @param explanation lines a person reads: the choice with its figures and ratios, then what was ruled out and why
 */
public record Recommendation(Optional<Subject> subject, String explanation) {

    public Recommendation {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(explanation, "explanation");
    }
}
