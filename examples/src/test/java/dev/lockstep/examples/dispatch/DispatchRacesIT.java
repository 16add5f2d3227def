package dev.lockstep.examples.dispatch;

import static dev.lockstep.examples.Exhaustive.assertNoRaceAndOutcomes;
import static dev.lockstep.harness.junit.RaceAssertions.assertRaceFound;
import static dev.lockstep.testdb.DatabaseKind.POSTGRESQL;
import static dev.lockstep.testdb.DatabaseKind.SQLITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.examples.TableRows;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.junit.RaceTest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

class DispatchRacesIT {

    private static final String EXECUTED_ONCE = "a run is executed at most once";

    static final Scenario CLAIM_CLAIM = Race.scenario("claim-claim")
            .setupSql("DELETE FROM dispatch_run", "INSERT INTO dispatch_run (id, status) VALUES (1, 'PENDING'), (2, 'PENDING')")
            .actor("A", ds -> new Dispatcher(ds).claimNext("A").map(Dispatch::runId).orElse(0L))
            .actor("B", ds -> new Dispatcher(ds).claimNext("B").map(Dispatch::runId).orElse(0L))
            .finalCheck("each dispatcher claims one run, a different one, and the table says so", (outcomes, observer) -> {
                long a = outcomes.of("A").value(Long.class);
                long b = outcomes.of("B").value(Long.class);
                List<String> expected = new ArrayList<>();
                for (long run = 1; run <= 2; run++) {
                    expected.add(run + " RUNNING " + (a == run ? "A" : b == run ? "B" : "nobody") + " 1");
                }
                return TableRows.of(observer, "SELECT id, status, executor, attempt FROM dispatch_run ORDER BY id").equals(expected);
            })
            .build();

    /**
     * Run 1 was dispatched to A, whose heartbeats stopped; A is in fact alive and goes on executing it,
     * while the orchestrator re-dispatches it to B.
     */
    static Scenario redispatch(String name, Function<DataSource, RunExecutor> executor) {
        return Race.scenario(name)
                .setupSql("DELETE FROM dispatch_run", "DELETE FROM execution",
                        "INSERT INTO dispatch_run (id, status, executor, attempt) VALUES (1, 'RUNNING', 'A', 1)")
                .actor("A", ds -> answer(executor.apply(ds), new Dispatch(1, "A", 1)))
                .actor("B", ds -> {
                    Optional<Dispatch> redispatched = new Dispatcher(ds).redispatch(1, "B");
                    return redispatched.isEmpty() ? "not re-dispatched" : answer(executor.apply(ds), redispatched.get());
                })
                .invariant(EXECUTED_ONCE, "SELECT run_id, count(*) AS executions FROM execution GROUP BY run_id HAVING count(*) > 1")
                .finalCheck("one executor says it executed; the run is done, executed once, by it, with the run's attempt", (outcomes, observer) -> {
                    if (outcomes.returned("executed") != 1) {
                        return false;
                    }
                    String executed = outcomes.of("A").returned("executed") ? "A 1 1 DONE" : "B 2 2 DONE";
                    return TableRows.of(observer, "SELECT e.executor, e.attempt, r.attempt, r.status FROM execution e"
                            + " JOIN dispatch_run r ON r.id = e.run_id").equals(List.of(executed));
                })
                .build();
    }

    private static String answer(RunExecutor executor, Dispatch dispatch) throws SQLException {
        return executor.run(dispatch) ? "executed" : "gave up";
    }

    @RaceTest(databases = {SQLITE, POSTGRESQL}, setup = Dispatcher.TABLE)
    void twoDispatchersClaimTwoRunsOnceEach(RaceHarness harness) {
        assertNoRaceAndOutcomes(harness.explore(CLAIM_CLAIM, Explorer.exhaustive(1_000)), "A=1 B=2", "A=2 B=1");
    }

    @RaceTest(databases = {SQLITE, POSTGRESQL}, setup = {Dispatcher.TABLE, Executions.TABLE})
    void anUnfencedExecutorExecutesARedispatchedRunTwice(RaceHarness harness) {
        RaceResult result = harness.explore(redispatch("re-dispatch, unfenced", UnfencedExecutor::new), Explorer.exhaustive(1_000));

        Execution race = assertRaceFound(result);
        // A executed, then the re-dispatch came before A marked the run done, and B executed it again
        assertThat(race.verdict()).isEqualTo(new Verdict.InvariantBroken(EXECUTED_ONCE, 4, "run_id=1, executions=2"));
        assertThat(race.replay()).isEqualTo(Race.schedule("A A B B B"));
    }

    @RaceTest(databases = {SQLITE, POSTGRESQL}, setup = {Dispatcher.TABLE, Executions.TABLE})
    void aFencedExecutorExecutesARedispatchedRunOnce(RaceHarness harness) {
        assertNoRaceAndOutcomes(harness.explore(redispatch("re-dispatch, fenced", FencedExecutor::new), Explorer.exhaustive(1_000)),
                "A=executed B=not re-dispatched", "A=gave up B=executed");
    }
}
