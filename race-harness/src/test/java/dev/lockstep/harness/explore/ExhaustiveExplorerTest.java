package dev.lockstep.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.dsl.Outcomes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExhaustiveExplorerTest {

    private static final String BROKEN = "invariant broken: " + FakeRunner.INVARIANT;

    @Test
    void the_first_failure_found_has_the_fewest_preemptions() {
        Recorder recorder = new Recorder(FakeRunner.checkThenAct("A", "B"));

        Exploration found = Explorer.exhaustive(10_000).explore(recorder);

        assertThat(recorder.schedules()).containsExactly("A A A B B B", "B B B A A A", "A B B B A A", "A A B B B A");
        assertThat(found.runs()).isEqualTo(4);
        assertThat(found.failures()).isEqualTo(1);
        Execution first = found.firstFailure().orElseThrow();
        assertThat(first.schedule().toString()).isEqualTo("A A B B B A");
        assertThat(first.preemptions()).isEqualTo(1);
        assertThat(first.preemptions()).isEqualTo(TreeWalk.leaves(FakeRunner.checkThenAct("A", "B")).stream()
                .filter(e -> e.verdict().failed()).mapToInt(Execution::preemptions).min().orElseThrow());
        assertThat(found.complete()).isFalse();
        assertThat(found.explorer()).isEqualTo("exhaustive(cap 10000)");
        assertThat(found.seed()).isEmpty();
    }

    @Test
    void keep_going_runs_every_schedule_exactly_once_fewest_preemptions_first() {
        Recorder recorder = new Recorder(FakeRunner.checkThenAct("A", "B"));

        Exploration found = Explorer.exhaustive(10_000).keepGoing().explore(recorder);

        List<String> schedules = recorder.schedules();
        assertThat(schedules).hasSize(20).doesNotHaveDuplicates();
        assertThat(new HashSet<>(schedules)).isEqualTo(schedulesOf(TreeWalk.leaves(FakeRunner.checkThenAct("A", "B"))));
        assertThat(recorder.seen().stream().map(Recorder.Seen::preemptions).toList()).isSorted();
        assertThat(found.runs()).isEqualTo(20);
        assertThat(found.failures()).isEqualTo(12);
        assertThat(found.invalid()).isZero();
        assertThat(found.complete()).isTrue();
        assertThat(found.verdicts()).containsExactly(Map.entry("passed", 8), Map.entry(BROKEN, 12));
        assertThat(found.firstFailure().orElseThrow().schedule().toString()).isEqualTo("A A B B B A");
        assertThat(found.explorer()).isEqualTo("exhaustive(cap 10000) keep going");
    }

    @Test
    void three_actors_have_1680_schedules_each_run_once() {
        Recorder recorder = new Recorder(FakeRunner.checkThenAct("A", "B", "C"));

        Exploration found = Explorer.exhaustive(10_000).keepGoing().explore(recorder);

        assertThat(recorder.schedules()).hasSize(1680).doesNotHaveDuplicates();
        assertThat(new HashSet<>(recorder.schedules())).isEqualTo(schedulesOf(TreeWalk.leaves(FakeRunner.checkThenAct("A", "B", "C"))));
        assertThat(recorder.seen().stream().map(Recorder.Seen::preemptions).toList()).isSorted();
        assertThat(found.complete()).isTrue();
        assertThat(found.runs()).isEqualTo(1680);
        assertThat(found.firstFailure().orElseThrow().preemptions()).isEqualTo(1);
    }

    @Test
    void switches_forced_by_a_waiting_actor_are_free() {
        Recorder recorder = new Recorder(Fakes.serialized());

        Exploration found = Explorer.exhaustive(100).keepGoing().explore(recorder);

        assertThat(recorder.seen()).containsExactly(
                new Recorder.Seen("A A A B B B", "passed", 0),
                new Recorder.Seen("B B B A A A", "passed", 0),
                new Recorder.Seen("A B A A B B", "passed", 1),
                new Recorder.Seen("A A B A B B", "passed", 1),
                new Recorder.Seen("B A B B A A", "passed", 1),
                new Recorder.Seen("B B A B A A", "passed", 1));
        assertThat(found.complete()).isTrue();
        assertThat(found.failures()).isZero();
        assertThat(found.firstFailure()).isEmpty();
    }

    @Test
    void a_deadlock_is_a_failure_and_is_found_with_one_preemption() {
        Exploration found = Explorer.exhaustive(100).explore(Fakes.lockOrder());

        Execution first = found.firstFailure().orElseThrow();
        assertThat(first.verdict()).isEqualTo(new Verdict.Deadlock(List.of("A", "B"), "A", 3, false));
        assertThat(first.schedule().toString()).isEqualTo("A B B A");
        assertThat(first.preemptions()).isEqualTo(1);
        assertThat(found.runs()).isEqualTo(3);
    }

    @Test
    void the_cap_bounds_the_runs() {
        FakeRunner runner = FakeRunner.checkThenAct("A", "B");

        Exploration capped = Explorer.exhaustive(5).keepGoing().explore(runner);
        assertThat(capped.runs()).isEqualTo(5);
        assertThat(runner.runs()).isEqualTo(5);
        assertThat(capped.complete()).isFalse();

        assertThat(Explorer.exhaustive(19).keepGoing().explore(runner).complete()).isFalse();
        assertThat(Explorer.exhaustive(20).keepGoing().explore(runner).complete()).isTrue();
        assertThat(Explorer.exhaustive(21).keepGoing().explore(runner).runs()).isEqualTo(20);
    }

    @Test
    void an_invalid_run_is_counted_not_expanded_and_the_exploration_is_not_complete() {
        FakeRunner fake = FakeRunner.checkThenAct("A", "B");
        // a database that never lets B move first
        ScheduleRunner flaky = decider -> {
            Execution run = fake.run(decider);
            if (run.schedule().get(0).equals("B")) {
                return new Execution(run.schedule().prefix(0), List.of(), new Verdict.ScheduleInvalid(0, "B", List.of("A"), Verdict.ScheduleInvalid.Why.WAITING),
                        new Outcomes(Map.of()), null);
            }
            return run;
        };
        Recorder recorder = new Recorder(flaky);

        Exploration found = Explorer.exhaustive(100).keepGoing().explore(recorder);

        assertThat(found.invalid()).isEqualTo(1);
        assertThat(found.runs()).isEqualTo(11);
        assertThat(recorder.schedules().stream().filter(s -> s.startsWith("A"))).hasSize(10).doesNotHaveDuplicates();
        assertThat(found.complete()).isFalse();
        assertThat(found.verdicts()).containsEntry("schedule invalid: step 0 asks for B, which is waiting for another actor in the database; only A could move", 1);
    }

    @Test
    void a_runner_that_does_not_follow_the_prefix_is_reported() {
        FakeRunner fake = FakeRunner.checkThenAct("A", "B");
        ScheduleRunner stubborn = decider -> fake.replay("A A A");

        assertThatThrownBy(() -> Explorer.exhaustive(100).keepGoing().explore(stubborn))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the ScheduleRunner did not follow the decider: asked for prefix B, ran A A A B B B with 6 ready sets for 6 decisions");
    }

    @Test
    void a_preemption_bound_runs_exactly_the_schedules_within_it() {
        List<Execution> all = TreeWalk.leaves(FakeRunner.checkThenAct("A", "B", "C"));
        for (int bound = 0; bound <= 2; bound++) {
            int b = bound;
            Recorder recorder = new Recorder(FakeRunner.checkThenAct("A", "B", "C"));

            Exploration found = Explorer.exhaustive(10_000, bound).keepGoing().explore(recorder);

            Set<String> within = schedulesOf(all.stream().filter(e -> e.preemptions() <= b).toList());
            assertThat(recorder.schedules()).as("bound %d", bound).doesNotHaveDuplicates().hasSize(within.size());
            assertThat(new HashSet<>(recorder.schedules())).isEqualTo(within);
            assertThat(found.complete()).isTrue();
            assertThat(found.explorer()).isEqualTo("exhaustive(cap 10000, preemptions <= " + bound + ") keep going");
        }
        assertThat(Explorer.exhaustive(10_000, 1).explore(FakeRunner.checkThenAct("A", "B")).firstFailure().orElseThrow().preemptions())
                .isEqualTo(1);
    }

    @Test
    void the_preemption_bound_must_not_be_negative() {
        assertThatThrownBy(() -> Explorer.exhaustive(10, -1)).hasMessage("exhaustive explorer: the preemption bound must not be negative, got -1");
    }

    @Test
    void the_cap_must_allow_a_run() {
        assertThatThrownBy(() -> Explorer.exhaustive(0)).hasMessage("exhaustive explorer: cap must be at least 1 run, got 0");
    }

    private static Set<String> schedulesOf(List<Execution> runs) {
        return new HashSet<>(runs.stream().map(e -> e.schedule().toString()).toList());
    }
}
