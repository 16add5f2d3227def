package dev.lockstep.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExplorationMemoryTest {

    @Test
    void fifty_thousand_random_runs_keep_only_the_first_failure() {
        // every run drags a payload; keeping every run would take more than the largest heap this JVM may have
        int payload = (int) Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 50_000 + 1024);
        FakeRunner runner = FakeRunner.checkThenAct("A", "B").withPayload(payload);

        Exploration found = Explorer.random(99, 50_000).keepGoing().explore(runner);

        assertThat(runner.runs()).isEqualTo(50_000);
        assertThat(found.runs()).isEqualTo(50_000);
        assertThat(found.failures()).isPositive().isLessThan(50_000);
        assertThat(found.verdicts()).hasSize(2);
        assertThat(found.verdicts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(50_000);
        assertThat(found.firstFailure()).isPresent();
        assertThat(found.firstFailure().orElseThrow().trace().events().get(0)).isNotNull();
    }

    @Test
    void an_exploration_holds_counters_one_run_and_one_counter_per_verdict_and_per_outcome() {
        List<Class<?>> types = Arrays.stream(Exploration.class.getRecordComponents()).map(RecordComponent::getType).toList();

        assertThat(types).containsExactly(String.class, int.class, int.class, int.class, Optional.class, boolean.class, Optional.class, Map.class,
                Map.class, int.class);
    }
}
