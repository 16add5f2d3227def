package dev.lockstep.examples.readme;

import static dev.lockstep.testdb.DatabaseKind.POSTGRESQL;

import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.junit.RaceAssertions;
import dev.lockstep.junit.RaceTest;

/** README, "Isolation tests in the session form": PostgreSQL's deadlock-simple, spec and expected output in one. */
class IsolationSpecTest {

    static final Scenario DEADLOCK_SIMPLE = Race.scenario("deadlock-simple")
            .session("s1", s -> s.setup("BEGIN")
                    .step("s1as", "LOCK TABLE a1 IN ACCESS SHARE MODE")
                    .step("s1ae", "LOCK TABLE a1 IN ACCESS EXCLUSIVE MODE").expectCompletesAfter("s2ae")
                    .step("s1c", "COMMIT"))
            .session("s2", s -> s.setup("BEGIN")
                    .step("s2as", "LOCK TABLE a1 IN ACCESS SHARE MODE")
                    .step("s2ae", "LOCK TABLE a1 IN ACCESS EXCLUSIVE MODE").expectSqlState("40P01").expectMessage("deadlock detected")
                    .step("s2c", "COMMIT"))
            .permutation("s1as s2as s1ae s2ae s1c s2c")
            .build();

    @RaceTest(databases = POSTGRESQL, setup = "CREATE TABLE a1 ()")
    void deadlockSimple(RaceHarness harness) {
        harness.permutations(DEADLOCK_SIMPLE).forEach(RaceAssertions::assertNoRace);
    }
}
