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
        // each expectation replaces the previous one of its step: the last said wins
        assertThat(session.steps().get(1).expected()).isEqualTo(new Session.Expected.Blocks());
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
