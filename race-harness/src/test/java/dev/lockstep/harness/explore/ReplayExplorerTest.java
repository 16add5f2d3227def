package dev.lockstep.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Schedule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplayExplorerTest {

    @Test
    void follow_returns_the_scheduled_actor_then_the_previous_one_while_ready_then_the_first_ready() {
        Decider follow = Explorer.follow(Schedule.parse("B A"));

        assertThat(follow.choose(0, List.of("A", "B"), null)).isEqualTo("B");
        assertThat(follow.choose(1, List.of("A", "B"), "B")).isEqualTo("A");
        assertThat(follow.choose(2, List.of("A", "B"), "B")).isEqualTo("B");
        assertThat(follow.choose(2, List.of("A", "C"), "B")).isEqualTo("A");
        assertThat(Explorer.follow(Schedule.empty()).choose(0, List.of("B", "C"), null)).isEqualTo("B");
    }

    @Test
    void follow_names_the_scheduled_actor_even_when_it_cannot_move() {
        Decider follow = Explorer.follow(Schedule.parse("A C"));

        assertThat(follow.choose(1, List.of("A", "B"), "A")).isEqualTo("C");
    }

    @Test
    void replay_runs_the_schedule_once() {
        FakeRunner runner = FakeRunner.checkThenAct("A", "B");

        Exploration found = Explorer.replay(Schedule.parse("A B A B A B")).explore(runner);

        assertThat(runner.runs()).isEqualTo(1);
        assertThat(found.runs()).isEqualTo(1);
        assertThat(found.failures()).isEqualTo(1);
        assertThat(found.firstFailure().orElseThrow().schedule().toString()).isEqualTo("A B A B A B");
        assertThat(found.firstFailure().orElseThrow().verdict()).isEqualTo(new Verdict.InvariantBroken(FakeRunner.INVARIANT, 5, "repo/a has 2 running runs"));
        assertThat(found.explorer()).isEqualTo("replay(A B A B A B)");
        assertThat(found.complete()).isFalse();
        assertThat(found.seed()).isEmpty();
        assertThat(found.verdicts()).containsExactly(Map.entry("invariant broken: " + FakeRunner.INVARIANT, 1));
    }

    @Test
    void past_its_end_a_replay_keeps_the_last_actor_while_it_can_move_then_takes_the_first_ready() {
        FakeRunner runner = FakeRunner.checkThenAct("A", "B");
        assertThat(runner.replay("").schedule().toString()).isEqualTo("A A A B B B");
        assertThat(runner.replay("B").schedule().toString()).isEqualTo("B B B A A A");
        assertThat(runner.replay("A B").schedule().toString()).isEqualTo("A B B B A A");

        Exploration passing = Explorer.replay(Schedule.parse("A B")).explore(runner);
        assertThat(passing.failures()).isZero();
        assertThat(passing.firstFailure()).isEmpty();
        assertThat(passing.verdicts()).containsExactly(Map.entry("passed", 1));
    }

    @Test
    void past_its_end_a_replay_switches_for_free_when_the_last_actor_waits() {
        Execution run = Fakes.serialized().replay("A B");

        assertThat(run.schedule().toString()).isEqualTo("A B A A B B");
        assertThat(run.preemptions()).isEqualTo(1);
    }

    @Test
    void an_actor_that_does_not_exist_makes_the_run_invalid_not_failing() {
        Exploration found = Explorer.replay(Schedule.parse("A C")).explore(FakeRunner.checkThenAct("A", "B"));

        assertThat(found.runs()).isEqualTo(1);
        assertThat(found.invalid()).isEqualTo(1);
        assertThat(found.failures()).isZero();
        assertThat(found.firstFailure()).isEqualTo(Optional.empty());
        assertThat(found.verdicts()).containsExactly(Map.entry("schedule invalid at step 1: C cannot move (ready: [A, B])", 1));
    }

    @Test
    void an_actor_waiting_for_a_lock_cannot_be_scheduled() {
        Recorder runner = new Recorder(Fakes.serialized());

        Exploration found = Explorer.replay(Schedule.parse("A B B")).explore(runner);

        assertThat(found.invalid()).isEqualTo(1);
        assertThat(found.verdicts()).containsExactly(Map.entry("schedule invalid at step 2: B cannot move (ready: [A])", 1));
    }

    @Test
    void keep_going_changes_nothing_for_a_single_run() {
        Explorer.Replay replay = Explorer.replay(Schedule.parse("A B A B A B"));

        assertThat(replay.keepGoing()).isSameAs(replay);
        assertThat(replay.keepGoing()).hasToString("replay(A B A B A B)");
    }
}
