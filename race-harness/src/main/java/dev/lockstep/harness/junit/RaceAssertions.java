package dev.lockstep.harness.junit;

import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.stress.StressResult;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions for race tests in JUnit 5: a failure's message is the harness's report, so the test
 * output shows the counterexample one column per actor, with its replay line.
 *
 * <pre>{@code
 * assertNoRace(RaceHarness.on(dataSource).explore(scenario, Explorer.exhaustive(10_000)));
 * }</pre>
 */
public final class RaceAssertions {

    private RaceAssertions() {}

    /**
     * Passes when no explored schedule broke a promise; else fails with the smallest counterexample. A
     * replay whose schedule could not be followed fails too, with the step, the actor asked for and
     * who could move: it proved nothing.
     */
    public static void assertNoRace(RaceResult result) {
        if (result.failed()) {
            throw new AssertionFailedError(result.report());
        }
    }

    /** Passes when some schedule broke a promise (a negative control); returns the smallest such run. */
    public static Execution assertRaceFound(RaceResult result) {
        return result.counterexample().orElseThrow(() -> new AssertionFailedError(
                "expected the harness to find a schedule that breaks " + result.scenario() + ", but "
                        + (result.unrealized().isPresent() ? "the replay did not follow its schedule" : "none did") + ": " + result.report()));
    }

    /** Passes when no forbidden outcome was observed in a stress run; else fails with the outcome table. */
    public static void assertNoForbiddenOutcome(StressResult result) {
        if (result.forbiddenSeen()) {
            throw new AssertionFailedError(result.table());
        }
    }
}
