package dev.lockstep.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.junit.RaceAssertions;
import dev.lockstep.harness.trace.TraceReport;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Replays are exact: the schedule's decisions are the run's, one for one. One test per rule: a schedule
 * that cannot be followed fails naming the step, the actor asked for and who could move (1); a schedule
 * shorter than the run fails unless the rest is given an order (2); the printed replay line reproduces
 * the run (5). Rules 3 (never shrunk) and 4 (the command) are where the harness and the command are.
 */
class ReplayExplorerTest {

    private static final Verdict.ScheduleInvalid.Why FINISHED = Verdict.ScheduleInvalid.Why.FINISHED;
    private static final Verdict.ScheduleInvalid.Why WAITING = Verdict.ScheduleInvalid.Why.WAITING;
    private static final Verdict.ScheduleInvalid.Why NOT_AN_ACTOR = Verdict.ScheduleInvalid.Why.NOT_AN_ACTOR;

    private static Execution replay(FakeRunner runner, String schedule) {
        return Explorer.replay(Schedule.parse(schedule)).run(runner);
    }

    @Test
    void follow_returns_the_scheduled_actor_then_the_previous_one_while_ready_then_the_first_ready() {
        Decider follow = Explorer.follow(Schedule.parse("B A"));

        assertThat(follow.choose(0, List.of("A", "B"), null)).isEqualTo("B");
        assertThat(follow.choose(1, List.of("A", "B"), "B")).isEqualTo("A");
        assertThat(follow.choose(2, List.of("A", "B"), "B")).isEqualTo("B");
        assertThat(follow.choose(2, List.of("A", "C"), "B")).isEqualTo("A");
        assertThat(follow.hasDecision(1_000)).isTrue();
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
        assertThat(found.invalid()).isZero();
        assertThat(found.firstFailure().orElseThrow().schedule().toString()).isEqualTo("A B A B A B");
        assertThat(found.firstFailure().orElseThrow().verdict()).isEqualTo(new Verdict.InvariantBroken(FakeRunner.INVARIANT, 5, "repo/a has 2 running runs"));
        assertThat(found.explorer()).isEqualTo("replay(A B A B A B)");
        assertThat(found.complete()).isFalse();
        assertThat(found.seed()).isEmpty();
        assertThat(found.verdicts()).containsExactly(Map.entry("invariant broken: " + FakeRunner.INVARIANT, 1));
    }

    // --- rule 1: a schedule that cannot be followed is a failure naming the step, the actor and who could move

    @Test
    void rule1_a_schedule_that_cannot_be_followed_fails_naming_the_step_the_actor_asked_for_and_who_could_move() {
        FakeRunner checkThenAct = FakeRunner.checkThenAct("A", "B");

        Exploration noSuchActor = Explorer.replay(Schedule.parse("A A C")).explore(checkThenAct);
        assertThat(noSuchActor.failed()).isTrue();
        assertThat(noSuchActor.failures()).isEqualTo(1);
        assertThat(noSuchActor.invalid()).isEqualTo(1);
        Execution stopped = noSuchActor.firstFailure().orElseThrow();
        assertThat(stopped.verdict()).isEqualTo(new Verdict.ScheduleInvalid(2, "C", List.of("A", "B"), NOT_AN_ACTOR));
        assertThat(stopped.schedule()).hasToString("A A");
        assertThat(noSuchActor.verdicts()).containsExactly(
                Map.entry("schedule invalid: step 2 asks for C, which is not an actor of this scenario; only A, B could move", 1));

        assertThat(replay(checkThenAct, "A A A A").verdict().summary())
                .isEqualTo("schedule invalid: step 3 asks for A, which has finished; only B could move");
        assertThat(replay(Fakes.serialized(), "A B B").verdict())
                .isEqualTo(new Verdict.ScheduleInvalid(2, "B", List.of("A"), WAITING));
        assertThat(replay(Fakes.serialized(), "A B B").verdict().summary())
                .isEqualTo("schedule invalid: step 2 asks for B, which is waiting for another actor in the database; only A could move");
        // decisions left over once every actor has finished
        assertThat(replay(checkThenAct, "A A A B B B A").verdict()).isEqualTo(new Verdict.ScheduleInvalid(6, "A", List.of(), FINISHED));
        assertThat(replay(checkThenAct, "A A A B B B A").verdict().summary())
                .isEqualTo("schedule invalid: step 6 asks for A, which has finished; every actor has finished");
        assertThat(replay(checkThenAct, "A A A B B B C").verdict()).isEqualTo(new Verdict.ScheduleInvalid(6, "C", List.of(), NOT_AN_ACTOR));

        RaceResult result = new RaceResult("check-then-act", "fake", noSuchActor, Optional.empty(),
                TraceReport.of("check-then-act", "fake", stopped).render());
        assertThat(result.unrealized()).contains(new Verdict.ScheduleInvalid(2, "C", List.of("A", "B"), NOT_AN_ACTOR));
        assertThat(result.counterexample()).isEmpty();
        assertThatThrownBy(() -> RaceAssertions.assertNoRace(result)).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("replay failed: schedule invalid: step 2 asks for C, which is not an actor of this scenario; only A, B could move");
        assertThatThrownBy(() -> RaceAssertions.assertRaceFound(result)).isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("expected the harness to find a schedule that breaks check-then-act, but the replay did not follow its schedule: ");
    }

    @Test
    void the_exhaustive_explorer_still_counts_a_run_that_went_otherwise_as_invalid_not_failing() {
        Tally explorers = new Tally(false, dev.lockstep.dsl.Outcomes::label);
        Execution stopped = replay(FakeRunner.checkThenAct("A", "B"), "A C");

        assertThat(explorers.record(stopped)).isFalse();
        Exploration found = explorers.result("exhaustive(cap 1)", false, Optional.empty());
        assertThat(found.invalid()).isEqualTo(1);
        assertThat(found.failed()).isFalse();
    }

    // --- rule 2: a schedule shorter than the run is an error unless the rest is given an order

    @Test
    void rule2_a_schedule_shorter_than_the_run_fails_unless_the_rest_is_given_an_order() {
        FakeRunner runner = FakeRunner.checkThenAct("A", "B");

        Exploration tooShort = Explorer.replay(Schedule.parse("A B")).explore(runner);
        assertThat(tooShort.failed()).isTrue();
        Execution stopped = tooShort.firstFailure().orElseThrow();
        assertThat(stopped.verdict()).isEqualTo(new Verdict.ScheduleTooShort(2, List.of("A", "B")));
        assertThat(stopped.verdict().summary()).isEqualTo("schedule too short: it ends after 2 decisions, but at step 2 A, B could still move");
        assertThat(stopped.schedule()).hasToString("A B");
        assertThat(replay(runner, "").verdict()).isEqualTo(new Verdict.ScheduleTooShort(0, List.of("A", "B")));
        assertThat(replay(runner, "A A A B B").verdict().summary())
                .isEqualTo("schedule too short: it ends after 5 decisions, but at step 5 B could still move");

        Explorer.Replay declarationOrder = Explorer.replay(Schedule.parse("B A")).thenInDeclarationOrder();
        assertThat(declarationOrder).hasToString("replay(B A) then declaration order");
        Execution inDeclarationOrder = declarationOrder.run(runner);
        assertThat(inDeclarationOrder.schedule()).hasToString("B A A A B B");
        assertThat(inDeclarationOrder.verdict()).isEqualTo(new Verdict.Passed());

        Explorer.Replay withoutPreemption = Explorer.replay(Schedule.parse("B A")).thenWithoutPreemption();
        assertThat(withoutPreemption).hasToString("replay(B A) then without preemption");
        assertThat(withoutPreemption.run(runner).schedule()).hasToString("B A A A B B");
        assertThat(Explorer.replay(Schedule.parse("A B")).thenWithoutPreemption().run(runner).schedule()).hasToString("A B B B A A");
        assertThat(Explorer.replay(Schedule.parse("A B")).thenInDeclarationOrder().run(runner).schedule()).hasToString("A B A A B B");
    }

    @Test
    void past_its_end_a_replay_without_preemption_switches_for_free_when_the_last_actor_waits() {
        Execution run = Explorer.replay(Schedule.parse("A B")).thenWithoutPreemption().run(Fakes.serialized());

        assertThat(run.schedule().toString()).isEqualTo("A B A A B B");
        assertThat(run.preemptions()).isEqualTo(1);
    }

    // --- rule 5: the printed replay line reproduces the printed run

    @Test
    void rule5_the_printed_replay_line_replays_to_the_same_table_and_verdict() {
        FakeRunner runner = Fakes.longCheckThenAct();
        Execution found = Shrinker.shrink(runner, Explorer.random(7, 100).explore(runner).firstFailure().orElseThrow(), 500).smallest();

        assertReplayLineReproduces(runner, found);
        assertReplayLineReproduces(runner, replay(runner, "A B A C"));
        assertReplayLineReproduces(runner, replay(runner, "A B"));
        assertReplayLineReproduces(runner, replay(runner, "A A A A A A B B B B B B A"));
        assertReplayLineReproduces(Fakes.serialized(), replay(Fakes.serialized(), "A B B"));
        assertThat(replay(runner, "A B A C D").replay()).as("decisions after the one that stopped the run are not needed").hasToString("A B A C");
    }

    /** Replays the {@code replay:} line of {@code run}'s report and compares the two reports whole. */
    private static void assertReplayLineReproduces(FakeRunner runner, Execution run) {
        String report = TraceReport.of("check-then-act", "fake", run).render();
        String line = report.lines().filter(l -> l.startsWith("replay: ")).findFirst().orElseThrow().substring("replay: ".length());

        Execution replayed = replay(runner, line);

        assertThat(TraceReport.of("check-then-act", "fake", replayed).render()).as(line).isEqualTo(report);
        assertThat(replayed.verdict()).as(line).isEqualTo(run.verdict());
    }

    @Test
    void keep_going_changes_nothing_for_a_single_run() {
        Explorer.Replay replay = Explorer.replay(Schedule.parse("A B A B A B"));

        assertThat(replay.keepGoing()).isSameAs(replay);
        assertThat(replay.keepGoing()).hasToString("replay(A B A B A B)");
    }
}
