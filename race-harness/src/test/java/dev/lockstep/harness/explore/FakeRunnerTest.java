package dev.lockstep.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Outcome;
import dev.lockstep.harness.trace.CallResult;
import dev.lockstep.harness.trace.TraceEvent;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fake runner is the oracle of the explorer tests; these pin down what it does. */
class FakeRunnerTest {

    @Test
    void two_running_runs_exactly_when_both_checks_come_before_either_start() {
        List<Execution> all = TreeWalk.leaves(FakeRunner.checkThenAct("A", "B"));

        assertThat(all).hasSize(20);
        assertThat(all.stream().map(e -> e.schedule().toString()).distinct()).hasSize(20);
        for (Execution run : all) {
            List<String> s = run.schedule().steps();
            int checkA = indexOfNth(s, "A", 2);
            int checkB = indexOfNth(s, "B", 2);
            int startA = indexOfNth(s, "A", 3);
            int startB = indexOfNth(s, "B", 3);
            boolean race = checkA < startB && checkB < startA;
            assertThat(run.verdict().failed()).as(run.schedule().toString()).isEqualTo(race);
        }
        // the first four decisions are A1 A2 B1 B2 in any of C(4,2) = 6 orders, then the two starts in either order
        assertThat(all.stream().filter(e -> e.verdict().failed())).hasSize(12);
        assertThat(all.stream().filter(e -> e.verdict().failed()).mapToInt(Execution::preemptions).min()).hasValue(1);
    }

    @Test
    void three_actors_have_nine_factorial_over_three_factorial_cubed_schedules() {
        List<Execution> all = TreeWalk.leaves(FakeRunner.checkThenAct("A", "B", "C"));

        assertThat(all).hasSize(1680);
        assertThat(new HashSet<>(all.stream().map(e -> e.schedule().toString()).toList())).hasSize(1680);
    }

    @Test
    void a_waiting_actor_is_not_ready_until_the_lock_is_released() {
        Execution run = Fakes.serialized().replay("A B A A B B");

        assertThat(run.verdict()).isEqualTo(new Verdict.Passed());
        assertThat(run.readyAt()).containsExactly(List.of("A", "B"), List.of("A", "B"), List.of("A"), List.of("A"), List.of("B"), List.of("B"));
        assertThat(run.trace().events()).contains(
                new TraceEvent.Step(1, "B", TraceEvent.Kind.STATEMENT, "LOCK L", List.of(), new CallResult.Waiting()),
                new TraceEvent.Completed(3, "B", new CallResult.Done()));
        assertThat(TreeWalk.leaves(Fakes.serialized())).hasSize(6);
    }

    @Test
    void each_holding_the_lock_the_other_wants_is_a_deadlock() {
        Execution run = Fakes.lockOrder().replay("A B A B");

        assertThat(run.verdict()).isEqualTo(new Verdict.Deadlock(List.of("A", "B"), "B", 3, false));
        assertThat(run.outcomes().of("A")).isEqualTo(new Outcome.Deadlocked(null));
        assertThat(run.schedule().toString()).isEqualTo("A B A B");
    }

    private static int indexOfNth(List<String> schedule, String actor, int nth) {
        int seen = 0;
        for (int i = 0; i < schedule.size(); i++) {
            if (schedule.get(i).equals(actor) && ++seen == nth) {
                return i;
            }
        }
        throw new AssertionError(actor + " moves fewer than " + nth + " times in " + schedule);
    }
}
