package dev.lockstep.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PctExplorerTest {

    private static List<Recorder.Seen> runs(Explorer explorer, FakeRunner runner) {
        Recorder recorder = new Recorder(runner);
        explorer.explore(recorder);
        return recorder.seen();
    }

    @Test
    void the_same_seed_makes_the_same_runs_and_another_seed_others() {
        List<Recorder.Seen> first = runs(Explorer.pct(5, 100, 3).keepGoing(), FakeRunner.checkThenAct("A", "B", "C"));

        assertThat(first).hasSize(100);
        assertThat(runs(Explorer.pct(5, 100, 3).keepGoing(), FakeRunner.checkThenAct("A", "B", "C"))).isEqualTo(first);
        assertThat(runs(Explorer.pct(6, 100, 3).keepGoing(), FakeRunner.checkThenAct("A", "B", "C"))).isNotEqualTo(first);
    }

    @Test
    void depth_one_never_preempts() {
        List<Recorder.Seen> all = runs(Explorer.pct(11, 200, 1).keepGoing(), FakeRunner.checkThenAct("A", "B", "C"));

        assertThat(all).allSatisfy(seen -> assertThat(seen.preemptions()).isZero());
        assertThat(all).allSatisfy(seen -> assertThat(seen.verdict()).isEqualTo("passed"));
        // random priorities: each actor goes first in some run
        assertThat(all.stream().map(seen -> seen.schedule().substring(0, 1)).distinct()).hasSize(3);
    }

    @Test
    void each_change_point_adds_at_most_one_preemption() {
        List<Recorder.Seen> all = runs(Explorer.pct(11, 300, 3).keepGoing(), FakeRunner.checkThenAct("A", "B", "C"));

        assertThat(all).allSatisfy(seen -> assertThat(seen.preemptions()).isLessThanOrEqualTo(2));
        assertThat(all).anySatisfy(seen -> assertThat(seen.preemptions()).isEqualTo(2));
    }

    @Test
    void depth_two_finds_the_check_then_act_race_with_one_preemption() {
        FakeRunner runner = FakeRunner.checkThenAct("A", "B");

        Exploration found = Explorer.pct(42, 100, 2).explore(runner);

        assertThat(found.failures()).isEqualTo(1);
        assertThat(found.runs()).isEqualTo(runner.runs()).isLessThanOrEqualTo(100);
        assertThat(found.firstFailure().orElseThrow().preemptions()).isEqualTo(1);
        assertThat(found.explorer()).isEqualTo("pct(seed 42, 100, depth 2)");
        assertThat(found.seed()).contains(42L);
    }

    @Test
    void change_points_are_distinct_and_below_the_bound() {
        Random random = new Random(1);
        for (int i = 0; i < 200; i++) {
            Set<Integer> points = PctSearch.changePoints(random, 3, 6);
            assertThat(points).hasSize(3).allSatisfy(point -> assertThat(point).isBetween(0, 5));
        }
        assertThat(PctSearch.changePoints(random, 4, 2)).containsExactlyInAnyOrder(0, 1);
        assertThat(PctSearch.changePoints(random, 0, 32)).isEmpty();
    }

    @Test
    void a_lowered_actor_moves_only_when_no_other_is_ready() {
        PctSearch.PctDecider decider = new PctSearch.PctDecider(new Random(3), Set.of(0));
        String first = decider.choose(0, List.of("A", "B"), null);

        assertThat(decider.choose(1, List.of("A", "B"), first)).isEqualTo(first);
        assertThat(decider.choose(2, List.of(first), first)).isEqualTo(first);
        String other = first.equals("A") ? "B" : "A";
        // the change point at decision 0 lowered the actor that was on top: the other one moved
        assertThat(new PctSearch.PctDecider(new Random(3), Set.of()).choose(0, List.of("A", "B"), null)).isEqualTo(other);
    }

    @Test
    void pct_rejects_contradictions() {
        assertThatThrownBy(() -> Explorer.pct(1, 10, 0)).hasMessage("pct explorer: depth must be at least 1 (1 = no preemption), got 0");
        assertThatThrownBy(() -> Explorer.pct(1, 0, 2)).hasMessage("pct explorer: schedules must be at least 1, got 0");
    }
}
