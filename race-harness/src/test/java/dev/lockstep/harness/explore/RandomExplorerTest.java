package dev.lockstep.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RandomExplorerTest {

    private static List<Recorder.Seen> runs(Explorer explorer) {
        Recorder recorder = new Recorder(FakeRunner.checkThenAct("A", "B", "C"));
        explorer.explore(recorder);
        return recorder.seen();
    }

    @Test
    void the_same_seed_makes_the_same_runs() {
        List<Recorder.Seen> first = runs(Explorer.random(42, 200).keepGoing());
        List<Recorder.Seen> second = runs(Explorer.random(42, 200).keepGoing());

        assertThat(first).hasSize(200);
        assertThat(second).isEqualTo(first);
        assertThat(new HashSet<>(first.stream().map(Recorder.Seen::schedule).toList()).size()).isGreaterThan(100);
    }

    @Test
    void one_explorer_explored_twice_starts_afresh() {
        Explorer explorer = Explorer.random(7, 50).keepGoing();

        assertThat(runs(explorer)).isEqualTo(runs(explorer));
    }

    @Test
    void different_seeds_make_different_runs() {
        assertThat(runs(Explorer.random(42, 200).keepGoing())).isNotEqualTo(runs(Explorer.random(43, 200).keepGoing()));
    }

    @Test
    void it_stops_at_the_first_failing_run() {
        List<Recorder.Seen> all = runs(Explorer.random(42, 200).keepGoing());
        int firstFailing = all.indexOf(all.stream().filter(seen -> !seen.verdict().equals("passed")).findFirst().orElseThrow());
        Recorder recorder = new Recorder(FakeRunner.checkThenAct("A", "B", "C"));

        Exploration found = Explorer.random(42, 200).explore(recorder);

        assertThat(found.runs()).isEqualTo(firstFailing + 1);
        assertThat(recorder.seen()).isEqualTo(all.subList(0, firstFailing + 1));
        assertThat(found.failures()).isEqualTo(1);
        assertThat(found.firstFailure().orElseThrow().schedule().toString()).isEqualTo(all.get(firstFailing).schedule());
        assertThat(found.explorer()).isEqualTo("random(seed 42, 200)");
        assertThat(found.seed()).isEqualTo(Optional.of(42L));
        assertThat(found.complete()).isFalse();
    }

    @Test
    void keep_going_makes_every_run_and_counts_verdicts() {
        List<Recorder.Seen> all = runs(Explorer.random(42, 200).keepGoing());
        long failing = all.stream().filter(seen -> !seen.verdict().equals("passed")).count();

        Exploration found = Explorer.random(42, 200).keepGoing().explore(FakeRunner.checkThenAct("A", "B", "C"));

        assertThat(found.runs()).isEqualTo(200);
        assertThat(found.failures()).isEqualTo((int) failing);
        assertThat(found.verdicts()).containsOnlyKeys("passed", "invariant broken: " + FakeRunner.INVARIANT);
        assertThat(found.verdicts().get("passed")).isEqualTo(200 - (int) failing);
        assertThat(found.explorer()).isEqualTo("random(seed 42, 200) keep going");
    }

    @Test
    void every_schedule_has_a_chance() {
        // with two actors every one of the 20 schedules has a probability of at least 1/32 per run
        Recorder recorder = new Recorder(FakeRunner.checkThenAct("A", "B"));

        Explorer.random(3, 1000).keepGoing().explore(recorder);

        assertThat(new HashSet<>(recorder.schedules())).hasSize(20);
    }

    @Test
    void a_random_explorer_needs_a_schedule_to_run() {
        assertThatThrownBy(() -> Explorer.random(1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("random explorer: schedules must be at least 1, got 0");
    }
}
