package dev.lockstep.examples;

import static dev.lockstep.harness.junit.RaceAssertions.assertNoRace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.harness.RaceResult;

/** Assertions over an exhaustive exploration. */
public final class Exhaustive {

    private Exhaustive() {}

    /**
     * Asserts that no schedule broke a promise, that every schedule was run (the cap was not reached), and
     * that the actors' outcomes over all of them were exactly {@code outcomes} (labels such as {@code
     * A=started B=refused}), each seen at least once.
     */
    public static void assertNoRaceAndOutcomes(RaceResult result, String... outcomes) {
        assertNoRace(result);
        assertThat(result.exploration().complete()).as("every schedule was explored: %s", result.exploration()).isTrue();
        assertThat(result.exploration().outcomes().keySet()).containsExactlyInAnyOrder(outcomes);
    }
}
