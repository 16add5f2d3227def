package dev.lockstep.harness.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stress mode checks the scenario's invariants and expectations after every iteration, as a scheduled run does at its end. */
class StressInvariantsIT {

    private final TestDatabase database = TestDatabases.shared().create(DatabaseKind.SQLITE);

    @BeforeEach
    void createTable() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY)");
        }
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void everyIterationIsCheckedFinalOnlyInvariantsIncludedAndTheFirstBrokenOneIsNamed() {
        StressResult result = StressTest.of(Race.scenario("two items")
                        .setupSql("DELETE FROM item", "INSERT INTO item (id) VALUES (1), (2)")
                        .actor("A", dataSource -> "done")
                        .invariant("no item 3", "SELECT id FROM item WHERE id = 3")
                        .finalInvariant("at most one item", "SELECT count(*) AS items FROM item HAVING count(*) > 1")
                        .invariant("no item 2", "SELECT id FROM item WHERE id = 2")
                        .build())
                .iterations(5)
                .acceptable("A=String", "A ran")
                .run(database.dataSource());

        assertThat(result.count("A=String")).isEqualTo(5);
        assertThat(result.brokenCount("A=String")).isEqualTo(5);
        assertThat(result.broken().get("A=String").promise()).isEqualTo("at most one item");
        assertThat(result.forbiddenSeen()).isTrue();
    }

    @Test
    void everyIterationIsCheckedAgainstTheExpectationsAndFinalChecksToo() {
        StressResult truthful = StressTest.of(deleteOneItem(1)).iterations(4).acceptable("A=String", "A deleted an item")
                .run(database.dataSource());
        StressResult lying = StressTest.of(deleteOneItem(2)).iterations(4).acceptable("A=String", "A deleted an item")
                .run(database.dataSource());

        assertThat(truthful.count("A=String")).isEqualTo(4);
        assertThat(truthful.brokenCount("A=String")).isZero();
        assertThat(truthful.forbiddenSeen()).isFalse();
        assertThat(lying.count("A=String")).isEqualTo(4);
        assertThat(lying.brokenCount("A=String")).isEqualTo(4);
        assertThat(lying.broken().get("A=String").promise()).isEqualTo("A's answer is what it deleted");
        assertThat(lying.forbiddenSeen()).isTrue();
        assertThat(lying.table()).contains("broke: A's answer is what it deleted");
    }

    /** A deletes item {@code deleted} but always answers "deleted 1"; a final check holds it to its answer. */
    private static Scenario deleteOneItem(int deleted) {
        return Race.scenario("delete one item")
                .setupSql("DELETE FROM item", "INSERT INTO item (id) VALUES (1), (2)")
                .actor("A", dataSource -> {
                    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                        s.executeUpdate("DELETE FROM item WHERE id = " + deleted);
                    }
                    return "deleted 1";
                })
                .expect("A answers", outcomes -> outcomes.returnedWhere(String.class, answer -> answer.startsWith("deleted ")) == 1)
                .finalCheck("A's answer is what it deleted", (outcomes, observer) -> {
                    int answered = Integer.parseInt(outcomes.of("A").value(String.class).substring("deleted ".length()));
                    try (Statement s = observer.createStatement();
                         ResultSet rs = s.executeQuery("SELECT id FROM item WHERE id = " + answered)) {
                        return !rs.next();
                    }
                })
                .build();
    }

    @Test
    void anInvariantThatCannotBeCheckedFailsTheRunNamingTheScenarioAndTheInvariant() {
        StressTest stress = StressTest.of(Race.scenario("missing table")
                        .actor("A", dataSource -> "done")
                        .invariant("reads a missing table", "SELECT id FROM no_such_table")
                        .build())
                .iterations(1);

        assertThatThrownBy(() -> stress.run(database.dataSource()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("stress run of 'missing table' failed: checking invariant 'reads a missing table' failed: ")
                .hasMessageContaining("no_such_table");
    }
}
