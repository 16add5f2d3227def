package dev.lockstep.harness.stress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StressResultTest {

    private static final Map<String, StressTest.Declared> DECLARED = Map.of(
            "A=Claim B=String", new StressTest.Declared(StressTest.Expect.ACCEPTABLE, "one winner"),
            "A=Claim B=Claim", new StressTest.Declared(StressTest.Expect.FORBIDDEN, "both started"));

    @Test
    void aForbiddenRowIsCountedUnderItsOwnLabelWithTheIterationsThatBrokeAnInvariant() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("A=Claim B=String", 7);
        counts.put("A=Claim B=Claim", 3);
        StressResult result = new StressResult("start-start", 10, counts,
                StressResult.brokenByLabel(Map.of("A=Claim B=Claim\u0000one active run", 3)), DECLARED);

        assertThat(result.forbiddenSeen()).isTrue();
        assertThat(result.brokenCount("A=Claim B=Claim")).isEqualTo(3);
        assertThat(result.table()).isEqualTo(String.join("\n",
                "start-start: 10 free-running iterations",
                "  outcome                  count     broke  expect      description",
                "  A=Claim B=String             7         0  ACCEPTABLE  one winner",
                "  A=Claim B=Claim              3         3  FORBIDDEN   both started; broke: one active run",
                ""));
    }

    @Test
    void anAcceptableLabelThatBrokeAnInvariantIsForbiddenAndUndeclaredLabelsAreToo() {
        StressResult broke = new StressResult("s", 2, Map.of("A=Claim B=String", 2),
                StressResult.brokenByLabel(Map.of("A=Claim B=String\u0000x", 1)), DECLARED);
        StressResult undeclared = new StressResult("s", 1, Map.of("A=null B=null", 1), Map.of(), DECLARED);
        StressResult clean = new StressResult("s", 2, Map.of("A=Claim B=String", 2), Map.of(), DECLARED);

        assertThat(broke.forbiddenSeen()).isTrue();
        assertThat(undeclared.forbiddenSeen()).isTrue();
        assertThat(undeclared.expectOf("A=null B=null")).isEqualTo(StressTest.Expect.FORBIDDEN);
        assertThat(clean.forbiddenSeen()).isFalse();
        assertThat(clean.table()).contains("A=Claim B=Claim              0         0  FORBIDDEN   both started");
    }
}
