package dev.lockstep.harness.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.dsl.Race;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stress mode checks the scenario's invariants after every iteration, as a scheduled run does at its end. */
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
        assertThat(result.broken().get("A=String").invariant()).isEqualTo("at most one item");
        assertThat(result.forbiddenSeen()).isTrue();
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
