package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.harness.junit.RaceAssertions;
import dev.lockstep.testdb.DatabaseKind;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.AssertionFailedError;

/**
 * Exact replays through {@link RaceHarness}, on real databases: one test per rule. Here beside the
 * runner's own tests for their check-then-act scenario, whose tables have no generated values, so two
 * runs of one schedule print the same report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayIT {

    private TestedDatabases databases;

    @BeforeAll
    void databases() throws Exception {
        databases = TestedDatabases.create(CheckThenAct.TABLE, "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
    }

    @AfterAll
    void drop() {
        databases.close();
    }

    private RaceResult explore(DatabaseKind kind, Scenario scenario, Explorer explorer) {
        return RaceHarness.on(databases.of(kind)).explore(scenario, explorer);
    }

    private static Explorer.Replay replay(String schedule) {
        return Explorer.replay(Schedule.parse(schedule));
    }

    /** A and B each take the lock on counter row 1, then commit: B waits while A holds it. */
    private static Scenario twoLockers(DatabaseKind kind) {
        String begin = kind == DatabaseKind.SQLITE ? "BEGIN IMMEDIATE" : "BEGIN";
        String lock = kind == DatabaseKind.SQLITE ? "UPDATE counter SET n = n WHERE id = 1" : "SELECT n FROM counter WHERE id = 1 FOR UPDATE";
        return Race.scenario("two lockers")
                .setupSql("DELETE FROM counter", "INSERT INTO counter (id, n) VALUES (1, 0)")
                .session("A", s -> s.step(begin).step(lock).step("COMMIT"))
                .session("B", s -> s.step(begin).step(lock).step("COMMIT"))
                .build();
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void rule1_a_schedule_that_cannot_be_followed_fails_the_assertion_naming_the_step_the_actor_and_who_could_move(DatabaseKind kind) {
        RaceResult noSuchActor = explore(kind, CheckThenAct.scenario(), replay("A A C"));
        assertThat(noSuchActor.unrealized()).contains(new Verdict.ScheduleInvalid(2, "C", List.of("A", "B"), Verdict.ScheduleInvalid.Why.NOT_AN_ACTOR));
        assertThatThrownBy(() -> RaceAssertions.assertNoRace(noSuchActor)).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("replay failed: schedule invalid: step 2 asks for C, which is not an actor of this scenario; only A, B could move")
                .hasMessageContaining("replay: A A C");

        RaceResult finished = explore(kind, CheckThenAct.scenario(), replay("A A A A"));
        assertThat(finished.unrealized()).contains(new Verdict.ScheduleInvalid(3, "A", List.of("B"), Verdict.ScheduleInvalid.Why.FINISHED));
        assertThatThrownBy(() -> RaceAssertions.assertNoRace(finished))
                .hasMessageContaining("step 3 asks for A, which has finished; only B could move");

        // SQLite: B's BEGIN IMMEDIATE waits (step 2); PostgreSQL: its FOR UPDATE does (step 3)
        String blocked = kind == DatabaseKind.SQLITE ? "A A B B" : "A A B B B";
        int step = kind == DatabaseKind.SQLITE ? 3 : 4;
        RaceResult waiting = explore(kind, twoLockers(kind), replay(blocked));
        assertThat(waiting.unrealized()).contains(new Verdict.ScheduleInvalid(step, "B", List.of("A"), Verdict.ScheduleInvalid.Why.WAITING));
        assertThatThrownBy(() -> RaceAssertions.assertNoRace(waiting))
                .hasMessageContaining("step " + step + " asks for B, which is waiting for another actor in the database; only A could move");
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void rule2_a_schedule_shorter_than_the_run_fails_unless_the_rest_is_given_an_order(DatabaseKind kind) {
        RaceResult partial = explore(kind, CheckThenAct.scenario(), replay("A"));
        assertThat(partial.unrealized()).contains(new Verdict.ScheduleTooShort(1, List.of("A", "B")));
        assertThatThrownBy(() -> RaceAssertions.assertNoRace(partial))
                .hasMessageContaining("replay failed: schedule too short: it ends after 1 decision, but at step 1 A, B could still move");
        assertThat(RaceHarness.on(databases.of(kind)).replay(CheckThenAct.scenario(), Schedule.parse("A")).verdict())
                .isEqualTo(new Verdict.ScheduleTooShort(1, List.of("A", "B")));

        RaceResult rest = explore(kind, CheckThenAct.scenario(), replay("A").thenInDeclarationOrder());
        RaceAssertions.assertNoRace(rest);
        assertThat(rest.exploration().explorer()).isEqualTo("replay(A) then declaration order");
        assertThat(RaceHarness.on(databases.of(kind)).replay(CheckThenAct.scenario(), Schedule.parse("A A A B B")).verdict())
                .as("B's guard sees A running: B has two steps").isEqualTo(new Verdict.Passed());
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void rule3_a_failing_replay_is_printed_as_it_ran_never_shrunk(DatabaseKind kind) {
        RaceResult alternating = explore(kind, CheckThenAct.scenario(), replay("A B A B A B"));

        assertThat(alternating.shrunk()).isEmpty();
        assertThat(alternating.counterexample().orElseThrow().schedule()).hasToString("A B A B A B");
        assertThat(alternating.report()).contains("explorer: replay(A B A B A B)\n").contains("\nreplay: A B A B A B\n")
                .contains("\npreemptions: 4, decisions: 6\n").doesNotContain("shrunk from");
        // a smaller schedule breaks the same promise: a shrinker would have printed that instead
        assertThat(explore(kind, CheckThenAct.scenario(), Explorer.exhaustive(100)).counterexample().orElseThrow().preemptions()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void rule5_the_printed_replay_line_replays_to_the_same_table_and_verdict(DatabaseKind kind) {
        RaceResult found = explore(kind, CheckThenAct.scenario(), Explorer.random(42, 200));
        assertThat(found.report()).contains("shrunk from");
        String line = found.report().lines().filter(l -> l.startsWith("replay: ")).findFirst().orElseThrow().substring("replay: ".length());

        RaceResult replayed = explore(kind, CheckThenAct.scenario(), replay(line));

        assertThat(withoutProvenance(replayed.report())).isEqualTo(withoutProvenance(found.report()));
        assertThat(replayed.counterexample().orElseThrow().verdict()).isEqualTo(found.counterexample().orElseThrow().verdict());
    }

    /** The report without the lines that say how the run was found (explorer, seed, shrunk from): the rest is the run. */
    private static String withoutProvenance(String report) {
        return report.lines().filter(l -> !l.startsWith("explorer: ") && !l.startsWith("seed: ") && !l.startsWith("shrunk from: "))
                .collect(Collectors.joining("\n"));
    }
}
