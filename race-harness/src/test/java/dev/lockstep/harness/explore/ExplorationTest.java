package dev.lockstep.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.dsl.Outcomes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExplorationTest {

    @Test
    void it_prints_as_one_line_without_the_failing_run() {
        Exploration found = Explorer.exhaustive(100).keepGoing().explore(FakeRunner.checkThenAct("A", "B"));

        assertThat(found).hasToString("exhaustive(cap 100) keep going: 20 runs, 12 failing (the first: run " + found.firstFailureRun()
                + "), 0 invalid, complete; {passed=8, invariant broken: " + FakeRunner.INVARIANT + "=12}");
        assertThat(found.failed()).isTrue();
    }

    @Test
    void counts_must_agree() {
        Map<String, Integer> verdicts = new LinkedHashMap<>();
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        Optional<Execution> failing = Optional.of(Explorer.exhaustive(100).explore(FakeRunner.checkThenAct("A", "B")).firstFailure().orElseThrow());
        assertThatThrownBy(() -> new Exploration("x", 1, 2, 0, Optional.empty(), false, Optional.empty(), verdicts, outcomes, 0))
                .hasMessage("inconsistent counts: 1 runs, 2 failing, 0 invalid");
        assertThatThrownBy(() -> new Exploration("x", 1, 0, 2, Optional.empty(), false, Optional.empty(), verdicts, outcomes, 0))
                .hasMessage("inconsistent counts: 1 runs, 0 failing, 2 invalid");
        assertThatThrownBy(() -> new Exploration("x", 1, 1, 0, Optional.empty(), false, Optional.empty(), verdicts, outcomes, 1))
                .hasMessage("firstFailure must be present exactly when failures > 0 (failures: 1)");
        assertThatThrownBy(() -> new Exploration("x", 2, 1, 0, failing, false, Optional.empty(), verdicts, outcomes, 3))
                .hasMessage("firstFailureRun must be a run (1 to 2) exactly when failures > 0, was 3 with 1 failing");
        assertThatThrownBy(() -> new Exploration("x", 2, 0, 0, Optional.empty(), false, Optional.empty(), verdicts, outcomes, 1))
                .hasMessage("firstFailureRun must be a run (1 to 2) exactly when failures > 0, was 1 with 0 failing");
    }

    @Test
    void the_verdict_counts_are_a_copy() {
        Map<String, Integer> verdicts = new LinkedHashMap<>(Map.of("passed", 1));
        Exploration found = new Exploration("x", 1, 0, 0, Optional.empty(), false, Optional.empty(), verdicts, Map.of(), 0);
        verdicts.put("passed", 2);

        assertThat(found.verdicts()).containsExactly(Map.entry("passed", 1));
        assertThatThrownBy(() -> found.verdicts().put("other", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void the_first_failing_run_is_counted_from_one_as_the_explorer_made_it() {
        Recorder recorder = new Recorder(FakeRunner.checkThenAct("A", "B"));
        Exploration all = Explorer.exhaustive(100).keepGoing().explore(recorder);
        int firstFailing = 1 + recorder.seen().stream().map(Recorder.Seen::verdict).toList().indexOf("invariant broken: " + FakeRunner.INVARIANT);

        Exploration untilFailure = Explorer.exhaustive(100).explore(FakeRunner.checkThenAct("A", "B"));

        assertThat(firstFailing).isGreaterThan(1);
        assertThat(all.firstFailureRun()).isEqualTo(firstFailing);
        // without keepGoing the exploration stops there: the schedule count to the first failure
        assertThat(untilFailure.runs()).isEqualTo(firstFailing);
        assertThat(untilFailure.firstFailureRun()).isEqualTo(firstFailing);
        Exploration passing = Explorer.exhaustive(100).explore(FakeRunner.of(Map.of("A", List.of(FakeRunner.READ))));
        assertThat(passing.firstFailureRun()).isZero();
        assertThat(passing.toString()).contains("1 runs, 0 failing, 0 invalid");
    }

    @Test
    void every_run_is_tallied_under_its_outcome_label_or_the_one_the_explorer_was_given() {
        Exploration byValue = Explorer.exhaustive(100).keepGoing().explore(FakeRunner.checkThenAct("A", "B"));
        Exploration byType = Explorer.exhaustive(100).keepGoing().tallyOutcomesBy(Outcomes::typeLabel)
                .explore(FakeRunner.checkThenAct("A", "B"));

        assertThat(byValue.outcomes().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
        assertThat(byValue.outcomes()).containsEntry("A=Claim[A] B=Claim[B]", 12).containsKeys("A=Claim[A] B=IllegalStateException");
        assertThat(byType.outcomes()).containsEntry("A=String B=String", 12).containsEntry("A=String B=IllegalStateException", 4)
                .containsEntry("A=IllegalStateException B=String", 4).hasSize(3);
        assertThatThrownBy(() -> found().outcomes().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void past_a_thousand_distinct_labels_new_ones_are_counted_together() {
        AtomicInteger run = new AtomicInteger();
        Exploration found = Explorer.random(7, 1_500).keepGoing().tallyOutcomesBy(o -> "run " + run.incrementAndGet())
                .explore(FakeRunner.checkThenAct("A", "B"));

        assertThat(found.outcomes()).hasSize(1_001).containsEntry("run 1000", 1).doesNotContainKey("run 1001")
                .containsEntry(Tally.OTHER_OUTCOMES, 500);
    }

    @Test
    void a_replay_tallied_by_another_label_is_still_a_replay() {
        Explorer replay = Explorer.replay(dev.lockstep.dsl.Schedule.parse("A A A B B B")).tallyOutcomesBy(Outcomes::typeLabel);

        assertThat(replay).isInstanceOf(Explorer.Replay.class);
        assertThat(replay.explore(FakeRunner.checkThenAct("A", "B")).outcomes()).containsOnlyKeys("A=String B=IllegalStateException");
    }

    private static Exploration found() {
        return Explorer.exhaustive(100).explore(FakeRunner.checkThenAct("A", "B"));
    }
}
