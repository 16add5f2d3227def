package dev.lockstep.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Database;
import dev.lockstep.core.OperationEvent;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import dev.lockstep.testsupport.LockstepScenarios;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two begins of one key, each on a coordinator with a listener, in every interleaving with at most two
 * preemptions: the listeners hear exactly one begin that claimed the run now active, for its owner, and one
 * refused, whatever the schedule.
 */
class ListenerRacesIT {

    static Stream<Arguments> strategiesAndDatabases() {
        return Arrays.stream(Strategy.values()).filter(Strategy::isSafe)
                .flatMap(strategy -> Stream.of(DatabaseKind.SQLITE, DatabaseKind.POSTGRESQL).map(kind -> Arguments.of(strategy, kind)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("strategiesAndDatabases")
    void twoBeginsAreHeardAsOneClaimAndOneRefusal(Strategy strategy, DatabaseKind kind) {
        List<OperationEvent> heard = Collections.synchronizedList(new ArrayList<>());
        Coordinator.Options options = Coordinator.Options.of(strategy).withSchemaCheck(false);
        Scenario scenario = Race.scenario("begin-begin, heard (" + strategy + ")")
                .setup(c -> {
                    heard.clear();
                    try (Statement s = c.createStatement()) {
                        for (String statement : LockstepScenarios.emptyTables(Database.of(c))) {
                            s.execute(statement);
                        }
                    }
                })
                .actor("A", ds -> begin(ds, options, heard, "A"))
                .actor("B", ds -> begin(ds, options, heard, "B"))
                .finalCheck("the listeners heard one claim of the active run, for its owner, and one refusal", (outcomes, observer) -> {
                    String active;
                    try (Statement s = observer.createStatement();
                         ResultSet rs = s.executeQuery("SELECT id, owner FROM lockstep_run WHERE status = 'running'")) {
                        active = rs.next() ? "begin ok build repo/a " + rs.getLong(1) + " " + rs.getString(2) : "none";
                    }
                    List<String> lines = lines(heard);
                    String loser = outcomes.of("A").returned("began") ? "B" : "A";
                    return outcomes.returned("began") == 1 && lines.size() == 2 && lines.contains(active)
                            && lines.stream().filter(l -> l.startsWith("begin already.active build repo/a ") && l.endsWith(" " + loser)).count() == 1;
                })
                .build();
        try (TestDatabase database = TestDatabases.shared().create(kind)) {
            Schema.install(database.dataSource(), strategy);
            RaceResult result = RaceHarness.on(database.dataSource())
                    .explore(scenario, Explorer.exhaustive(RaceContract.CAP, RaceContract.MATRIX_PREEMPTIONS));

            assertThat(result.failed()).as(result.report()).isFalse();
            assertThat(result.exploration().complete()).as("%s", result.exploration()).isTrue();
            assertThat(result.exploration().outcomes().keySet()).containsExactlyInAnyOrder("A=began B=refused", "A=refused B=began");
        }
    }

    private static String begin(DataSource ds, Coordinator.Options options, List<OperationEvent> heard, String owner) {
        try {
            Coordinator.create(ds, options).withListener(heard::add).begin("repo/a", "build", owner);
            return "began";
        } catch (AlreadyActiveException refused) {
            return "refused";
        }
    }

    private static List<String> lines(List<OperationEvent> heard) {
        synchronized (heard) {
            return heard.stream().map(e -> e.operation().tag() + " " + e.outcome().tag() + " " + e.name() + " " + e.key() + " "
                    + e.runId() + " " + e.owner()).toList();
        }
    }
}
