package dev.lockstep.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExplorationTest {

    @Test
    void it_prints_as_one_line_without_the_failing_run() {
        Exploration found = Explorer.exhaustive(100).keepGoing().explore(FakeRunner.checkThenAct("A", "B"));

        assertThat(found).hasToString("exhaustive(cap 100) keep going: 20 runs, 12 failing, 0 invalid, complete; {passed=8, invariant broken: "
                + FakeRunner.INVARIANT + "=12}");
        assertThat(found.failed()).isTrue();
    }

    @Test
    void counts_must_agree() {
        Map<String, Integer> verdicts = new LinkedHashMap<>();
        assertThatThrownBy(() -> new Exploration("x", 1, 2, 0, Optional.empty(), false, Optional.empty(), verdicts))
                .hasMessage("inconsistent counts: 1 runs, 2 failing, 0 invalid");
        assertThatThrownBy(() -> new Exploration("x", 1, 0, 2, Optional.empty(), false, Optional.empty(), verdicts))
                .hasMessage("inconsistent counts: 1 runs, 0 failing, 2 invalid");
        assertThatThrownBy(() -> new Exploration("x", 1, 1, 0, Optional.empty(), false, Optional.empty(), verdicts))
                .hasMessage("firstFailure must be present exactly when failures > 0 (failures: 1)");
    }

    @Test
    void the_verdict_counts_are_a_copy() {
        Map<String, Integer> verdicts = new LinkedHashMap<>(Map.of("passed", 1));
        Exploration found = new Exploration("x", 1, 0, 0, Optional.empty(), false, Optional.empty(), verdicts);
        verdicts.put("passed", 2);

        assertThat(found.verdicts()).containsExactly(Map.entry("passed", 1));
        assertThatThrownBy(() -> found.verdicts().put("other", 1)).isInstanceOf(UnsupportedOperationException.class);
    }
}
