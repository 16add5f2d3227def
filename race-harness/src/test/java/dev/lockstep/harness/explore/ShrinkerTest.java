package dev.lockstep.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.dsl.Schedule;
import org.junit.jupiter.api.Test;

class ShrinkerTest {

    private static final String ALTERNATING = "A B A B A B A B A B A B";

    @Test
    void a_long_failing_schedule_shrinks_to_one_preemption_breaking_the_same_promise() {
        FakeRunner runner = Fakes.longCheckThenAct();
        Execution failing = runner.replay(ALTERNATING);
        assertThat(failing.verdict().failed()).isTrue();
        assertThat(failing.preemptions()).isEqualTo(10); // the last switch is forced: A has finished

        Shrunk shrunk = Shrinker.shrink(runner, failing, 1_000);

        Execution smallest = shrunk.smallest();
        assertThat(smallest.preemptions()).isEqualTo(1);
        assertThat(smallest.verdict().summary()).isEqualTo(failing.verdict().summary());
        assertThat(smallest.schedule().size()).isEqualTo(12);
        assertThat(shrunk.original()).isSameAs(failing);
        assertThat(shrunk.improved()).isTrue();
        assertThat(shrunk.runsTried()).isEqualTo(runner.runs() - 1).isPositive().isLessThanOrEqualTo(1_000);
        // the smallest schedule replays to the same failure
        Execution again = runner.replay(smallest.schedule().toString());
        assertThat(again.schedule()).isEqualTo(smallest.schedule());
        assertThat(again.verdict()).isEqualTo(smallest.verdict());
    }

    @Test
    void shrinking_is_deterministic() {
        Execution failing = Fakes.longCheckThenAct().replay(ALTERNATING);

        Shrunk first = Shrinker.shrink(Fakes.longCheckThenAct(), failing, 1_000);
        Shrunk second = Shrinker.shrink(Fakes.longCheckThenAct(), failing, 1_000);

        assertThat(second.smallest().schedule()).isEqualTo(first.smallest().schedule());
        assertThat(second.runsTried()).isEqualTo(first.runsTried());
    }

    @Test
    void a_smaller_run_that_breaks_another_promise_or_passes_is_never_taken() {
        FakeRunner fake = Fakes.longCheckThenAct();
        // every run with fewer than 3 preemptions breaks something else, or passes
        ScheduleRunner runner = decider -> {
            Execution run = fake.run(decider);
            if (run.preemptions() >= 3) {
                return run;
            }
            Verdict other = run.verdict().failed() ? new Verdict.ExpectationFailed("exactly one actor starts") : new Verdict.Passed();
            return new Execution(run.schedule(), run.readyAt(), other, run.outcomes(), run.trace());
        };
        Execution failing = fake.replay(ALTERNATING);
        Recorder recorder = new Recorder(runner);

        Shrunk shrunk = Shrinker.shrink(recorder, failing, 5_000);

        assertThat(shrunk.smallest().verdict().summary()).isEqualTo(failing.verdict().summary());
        assertThat(shrunk.smallest().preemptions()).isEqualTo(3);
        assertThat(recorder.seen()).anySatisfy(seen -> assertThat(seen.verdict()).isEqualTo("expectation failed: exactly one actor starts"));
        assertThat(shrunk.runsTried()).isEqualTo(recorder.seen().size());
    }

    @Test
    void when_no_candidate_fails_the_original_is_kept() {
        FakeRunner fake = Fakes.longCheckThenAct();
        Execution failing = fake.replay(ALTERNATING);
        ScheduleRunner everythingPasses = decider -> {
            Execution run = fake.run(decider);
            return new Execution(run.schedule(), run.readyAt(), new Verdict.Passed(), run.outcomes(), run.trace());
        };

        Shrunk shrunk = Shrinker.shrink(everythingPasses, failing, 100_000);

        assertThat(shrunk.smallest()).isSameAs(failing);
        assertThat(shrunk.improved()).isFalse();
        assertThat(shrunk.runsTried()).isPositive().isLessThanOrEqualTo(ShrinkCandidates.of(failing.schedule().steps()).size());
    }

    @Test
    void max_runs_bounds_the_runs() {
        FakeRunner runner = Fakes.longCheckThenAct();
        Execution failing = runner.replay(ALTERNATING);
        int before = runner.runs();

        Shrunk three = Shrinker.shrink(runner, failing, 3);

        assertThat(three.runsTried()).isEqualTo(3);
        assertThat(runner.runs() - before).isEqualTo(3);
        assertThat(three.smallest().verdict().summary()).isEqualTo(failing.verdict().summary());
        assertThat(three.smallest().preemptions()).isLessThanOrEqualTo(failing.preemptions());

        Shrunk none = Shrinker.shrink(runner, failing, 0);
        assertThat(none.runsTried()).isZero();
        assertThat(none.smallest()).isSameAs(failing);
        assertThat(runner.runs() - before).isEqualTo(3);
    }

    @Test
    void only_a_failing_run_can_be_shrunk() {
        FakeRunner runner = FakeRunner.checkThenAct("A", "B");
        Execution passing = runner.replay("A A A");

        assertThatThrownBy(() -> Shrinker.shrink(runner, passing, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("only a run that broke a promise can be shrunk; this one ended: passed (schedule A A A B B B)");
        assertThatThrownBy(() -> Shrinker.shrink(runner, runner.replay("A B A B A B"), -1))
                .hasMessage("maxRuns must not be negative, got -1");
    }

    @Test
    void shrinking_an_exhaustive_first_failure_cannot_improve_it() {
        FakeRunner runner = FakeRunner.checkThenAct("A", "B");
        Execution first = Explorer.exhaustive(100).explore(runner).firstFailure().orElseThrow();

        Shrunk shrunk = Shrinker.shrink(runner, first, 1_000);

        assertThat(shrunk.improved()).isFalse();
        assertThat(shrunk.smallest().schedule()).isEqualTo(Schedule.parse("A A B B B A"));
    }
}
