package dev.lockstep.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void aScenarioKeepsItsPartsInOrder() {
        Scenario scenario = Race.scenario("s")
                .setupSql("DELETE FROM t")
                .actor("A", ds -> 1)
                .session("B", s -> s.step("BEGIN").step("UPDATE t SET v = 1").expectUpdateCount(1).expectBlocks().step("COMMIT"))
                .invariant("i", "SELECT 1 WHERE 1 = 0")
                .finalInvariant("f", c -> true)
                .expect("e", o -> true)
                .build();

        assertThat(scenario.actorNames()).containsExactly("A", "B");
        assertThat(scenario.setup()).hasSize(1);
        assertThat(scenario.invariants()).extracting(Invariant::finalOnly).containsExactly(false, true);
        Session session = scenario.actors().get(1).session();
        assertThat(session.steps()).extracting(Session.Step::sql).containsExactly("BEGIN", "UPDATE t SET v = 1", "COMMIT");
        // a step keeps every expectation said of it, in order
        assertThat(session.steps().get(1).expected()).containsExactly(new Session.Expected.UpdateCount(1), new Session.Expected.Blocks());
        assertThat(scenario.actors().get(0).session()).isNull();
    }

    @Test
    void contradictionsAreRefusedNamingTheScenario() {
        assertThatThrownBy(() -> Race.scenario("empty").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'empty' has no actors");
        assertThatThrownBy(() -> Race.scenario("twins").actor("A", ds -> 1).actor("A", ds -> 2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two actors named 'A'");
        assertThatThrownBy(() -> Race.scenario(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Race.scenario("s").session("A", s -> s.expectRows(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("add a step");
    }

    @Test
    void aSessionStepTakesOneExpectationOfEachKindAndNeverBothAnErrorAndAResult() {
        assertThatThrownBy(() -> Race.scenario("s").session("A", s -> s.step("a", "SELECT 1").expectRows(1).expectRows(2)))
                .isInstanceOf(IllegalStateException.class).hasMessage("step a 'SELECT 1' already expects Rows[count=1]");
        assertThatThrownBy(() -> Race.scenario("s").session("A", s -> s.step("a", "SELECT 1").expectValues("1").expectSqlState("40001")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("step a 'SELECT 1' cannot both fail and return a result: it expects [Values[rows=[1]]] and SqlState[state=40001]");
        Session both = Race.scenario("s").session("A", s -> s.step("a", "UPDATE t SET v = 1").expectCompletesAfter("b")
                .expectSqlState("40001").expectErrorCode(0).expectMessage("concurrent update")).build().actors().get(0).session();
        assertThat(both.steps().get(0).expectsError()).isTrue();
        assertThat(both.steps().get(0).expectsToWait()).isTrue();
        assertThatThrownBy(() -> Race.scenario("s").session("A", s -> s.step("a", "SELECT 1").setup("BEGIN")))
                .isInstanceOf(IllegalStateException.class).hasMessage("a session's setup comes before its steps");
        assertThatThrownBy(() -> Race.scenario("s").session("A", s -> s.isolation(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("isolation level 3 is not one of");
    }

    @Test
    void aPermutationRunsOnlyTheStepsItNamesInItsOrderAfterEverySessionsSetup() {
        Scenario scenario = Race.scenario("p")
                .session("s1", s -> s.setup("BEGIN").step("s1a", "SELECT 1").step("s1b", "SELECT 2").step("s1c", "COMMIT"))
                .session("s2", s -> s.setup("BEGIN", "SET x = 1").step("s2a", "SELECT 3"))
                .session("s3", s -> s.step("s3a", "SELECT 4"))
                .permutation("s1b s2a  s1a s1b")
                .build();
        Permutation permutation = scenario.permutations().get(0);

        assertThat(permutation).hasToString("s1b s2a s1a s1b");
        assertThat(scenario.scheduleOf(permutation)).isEqualTo(Schedule.parse("s1 s2 s2 s1:s1b s2:s2a s1:s1a s1:s1b"));
        Scenario permuted = scenario.permuted(permutation);
        assertThat(permuted.name()).isEqualTo("p [s1b s2a s1a s1b]");
        assertThat(permuted.actorNames()).containsExactly("s1", "s2"); // s3 has no setup and no step here
        assertThat(permuted.actors().get(0).session().statements()).extracting(Session.Step::sql)
                .containsExactly("BEGIN", "SELECT 2", "SELECT 1", "SELECT 2");
        assertThat(permuted.permutations()).isEmpty();
        assertThat(permuted.actors()).allSatisfy(actor -> assertThat(actor.session().exact()).isTrue());
        assertThat(scenario.actors()).allSatisfy(actor -> assertThat(actor.session().exact()).isFalse());
    }

    @Test
    void aPermutationMustNameStepsOfSessionsOnly() {
        assertThatThrownBy(() -> Race.scenario("p").session("s1", s -> s.step("s1a", "SELECT 1")).permutation("s1a s1x").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("permutation 's1a s1x' of scenario 'p' names step 's1x', which no session has (steps: s1a)");
        assertThatThrownBy(() -> Race.scenario("p").session("s1", s -> s.step("a", "SELECT 1")).session("s2", s -> s.step("a", "SELECT 2")).permutation("a").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scenario 'p' has two steps named 'a' (in s1 and s2): a permutation could not tell them apart");
        assertThatThrownBy(() -> Race.scenario("p").session("s1", s -> s.step("a", "SELECT 1")).actor("B", ds -> 1).permutation("a").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("scenario 'p' has permutations, so every actor must be a session, but B is not");
        assertThatThrownBy(() -> Race.scenario("p").session("s1", s -> s.step("a", "SELECT 1")).permutation(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a permutation names at least one step");
    }

    @Test
    void valuesAreComparedAsTheirTextRowByRow() {
        Session.Step step = new Session.Step("r", "SELECT id, balance FROM t", List.of(new Session.Expected.Values(List.of("X|0", "Y|20"))));
        Session.StepResult read = new Session.StepResult("SELECT ...", 2,
                List.of(List.of("X", new java.math.BigDecimal("0")), List.of("Y", new java.math.BigDecimal("2E+1"))), null, null, 0, null);
        Session.StepResult failed = new Session.StepResult("SELECT ...", null, null, null, "40001", 0, "could not serialize access");

        Session explored = new Session(null, List.of(), List.of(step), false);
        Session permuted = new Session(null, List.of(), List.of(step), true);

        assertThat(explored.mismatch(step, read, false, name -> false)).isNull();
        assertThat(explored.mismatch(step, failed, false, name -> false)).isEqualTo("expected success, got ERROR 40001: could not serialize access");
        assertThat(explored.mismatch(step, read, true, name -> false)).isNull(); // whether it waits is the explorer's doing
        assertThat(permuted.mismatch(step, read, true, name -> false)).isEqualTo("waited for another session, which no expectation says");
    }

    @Test
    void outcomesCountWhatActorsReturnedAndThrew() {
        Map<String, Outcome> byActor = new LinkedHashMap<>();
        byActor.put("A", new Outcome.Returned(42L));
        byActor.put("B", new Outcome.Threw(new RuntimeException(new IllegalStateException("inner"))));
        byActor.put("C", new Outcome.Returned(null));
        Outcomes outcomes = new Outcomes(byActor);

        assertThat(outcomes.returned(Long.class)).isEqualTo(1);
        assertThat(outcomes.threw(IllegalStateException.class)).isEqualTo(1);
        assertThat(outcomes.threw(IllegalArgumentException.class)).isZero();
        assertThat(outcomes.label()).isEqualTo("A=42 B=RuntimeException C=ok");
        assertThatThrownBy(() -> outcomes.of("D")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[A, B, C]");
        assertThat(List.copyOf(outcomes.asMap().keySet())).containsExactly("A", "B", "C");
    }

    @Test
    void outcomesMatchReturnedValuesByEqualityOrByATestAndNameTheActors() {
        Map<String, Outcome> byActor = new LinkedHashMap<>();
        byActor.put("A", new Outcome.Returned("acquired"));
        byActor.put("B", new Outcome.Returned("refused"));
        byActor.put("C", new Outcome.Returned("acquired"));
        byActor.put("D", new Outcome.Threw(new IllegalStateException("acquired")));
        byActor.put("E", new Outcome.Returned(null));
        Outcomes outcomes = new Outcomes(byActor);

        assertThat(outcomes.returned("acquired")).isEqualTo(2);
        assertThat(outcomes.returned("nothing")).isZero();
        assertThat(outcomes.returned((Object) 7)).isZero();
        assertThat(outcomes.returnedWhere(value -> value == null)).isEqualTo(1);
        assertThat(outcomes.returnedWhere(String.class, value -> value.endsWith("ed"))).isEqualTo(3);
        assertThat(outcomes.returnedWhere(Integer.class, value -> true)).isZero();
        assertThat(outcomes.actorsWhere(o -> o.returned("acquired"))).containsExactly("A", "C");
        assertThat(outcomes.actorsWhere(o -> o.threw(IllegalStateException.class))).containsExactly("D");
        assertThat(outcomes.of("B").value(String.class)).isEqualTo("refused");
    }

    @Test
    void aValueOfTheWrongKindSaysWhatTheBodyDidInstead() {
        assertThatThrownBy(() -> new Outcome.Returned("refused").value(Long.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("expected the body to return a Long, but it returned String refused");
        assertThatThrownBy(() -> new Outcome.Returned(null).value(Long.class))
                .hasMessage("expected the body to return a Long, but it returned null");
        assertThatThrownBy(() -> new Outcome.Threw(new IllegalArgumentException("bad key")).value(Long.class))
                .hasMessage("expected the body to return a Long, but it threw java.lang.IllegalArgumentException: bad key");
        assertThatThrownBy(() -> new Outcome.Deadlocked(null).value(Long.class))
                .hasMessage("expected the body to return a Long, but it was a deadlock's victim");
    }

    @Test
    void outcomeExpectationsAndFinalChecksKeepTheirDeclarationOrder() throws Exception {
        Scenario scenario = Race.scenario("s")
                .actor("A", ds -> "x")
                .expect("first", o -> o.returned("x") == 1)
                .finalCheck("second", (o, observer) -> observer == null)
                .expect("third", o -> o.returned("y") == 1)
                .build();
        Outcomes outcomes = new Outcomes(Map.of("A", new Outcome.Returned("x")));

        assertThat(scenario.expectations()).extracting(Expectation::description).containsExactly("first", "second", "third");
        // an outcome expectation ignores the connection; a final check receives it
        assertThat(scenario.expectations().get(0).check().holds(outcomes, null)).isTrue();
        assertThat(scenario.expectations().get(1).check().holds(outcomes, null)).isTrue();
        assertThat(scenario.expectations().get(2).check().holds(outcomes, null)).isFalse();
    }
}
