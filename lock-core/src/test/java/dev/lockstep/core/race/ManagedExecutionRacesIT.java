package dev.lockstep.core.race;

import static dev.lockstep.harness.junit.RaceAssertions.assertNoRace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.core.contract.HeartbeatThreads;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.db.DatabaseKind;
import dev.lockstep.harness.db.TestDatabase;
import dev.lockstep.harness.db.TestDatabases;
import dev.lockstep.harness.explore.Explorer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ManagedExecutionRaces}, explored exhaustively for every strategy × database. */
class ManagedExecutionRacesIT {

    static Stream<Arguments> strategiesAndDatabases() {
        return Arrays.stream(Strategy.values())
                .flatMap(strategy -> Stream.of(DatabaseKind.SQLITE, DatabaseKind.POSTGRESQL).map(kind -> Arguments.of(strategy, kind)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("strategiesAndDatabases")
    void aManagedCompletionRacingACancel(Strategy strategy, DatabaseKind kind) throws Exception {
        try (TestDatabase database = TestDatabases.shared().create(kind)) {
            Schema.install(database.dataSource(), strategy);
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE lockstep_exec (run_id BIGINT NOT NULL, executor VARCHAR(20) NOT NULL)");
            }
            ManagedExecutionRaces races = new ManagedExecutionRaces(strategy);

            RaceResult result = RaceHarness.on(database.dataSource()).explore(races.completionRacingCancel(), Explorer.exhaustive(RaceContract.CAP));
            System.out.println(result.exploration() + "  [" + races.completionRacingCancel().name() + " on " + result.database() + "]");

            assertNoRace(result);
            assertThat(result.exploration().complete()).as("every schedule explored within the cap").isTrue();
            assertThat(result.exploration().verdicts()).hasSize(1);
            assertThat(result.exploration().runs()).isGreaterThan(2); // cancel before the claim, mid-work, after the completion
            assertThat(HeartbeatThreads.alive()).isEmpty();
        }
    }
}
