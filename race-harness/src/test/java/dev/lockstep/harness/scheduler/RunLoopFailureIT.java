package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.testdb.DatabaseKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way out of a run cleans up after it: a step that exceeds the timeout, a blocking probe that
 * fails, an actor stuck in its own code. The workers are kept from run to run and stopped by close.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunLoopFailureIT {

    private TestedDatabases databases;

    @BeforeAll
    void databases() throws Exception {
        databases = TestedDatabases.create(CheckThenAct.TABLE, "CREATE TABLE held (id INTEGER PRIMARY KEY)");
    }

    @AfterAll
    void drop() {
        databases.close();
    }

    private DataSource postgres() {
        return databases.of(DatabaseKind.POSTGRESQL);
    }

    /** The live threads of a runner's actor workers. */
    private static List<Thread> workers(String scenario) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("lockstep actor ") && t.getName().endsWith(" of " + scenario))
                .toList();
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL", "MARIADB"})
    void eachActorKeepsOneWorkerForTheRunnersLifeAndCloseStopsThem(DatabaseKind kind) {
        Scenario scenario = Race.scenario("workers kept on " + kind).setupSql("DELETE FROM runs")
                .actor("A", CheckThenAct.scenario().actors().get(0).body())
                .actor("B", CheckThenAct.scenario().actors().get(1).body())
                .build();
        ScenarioRunner runner = new ScenarioRunner(scenario, databases.of(kind), Duration.ofSeconds(20));
        try {
            Explorer.random(3, 50).keepGoing().explore(runner);

            assertThat(workers(scenario.name())).extracting(Thread::getName)
                    .containsExactlyInAnyOrder("lockstep actor A of " + scenario.name(), "lockstep actor B of " + scenario.name());
        } finally {
            runner.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> workers(scenario.name()).isEmpty());
    }

    @Test
    void aStepThatWaitsPastTheTimeoutForASessionOutsideTheRunFailsTheRunAndLeavesTheRunnerUsable() throws Exception {
        Scenario scenario = Race.scenario("waits for an outsider")
                .session("A", s -> s.step("SELECT count(*) FROM held"))
                .build();
        try (Connection outsider = postgres().getConnection(); Statement s = outsider.createStatement();
             ScenarioRunner runner = new ScenarioRunner(scenario, postgres(), Duration.ofSeconds(2))) {
            outsider.setAutoCommit(false);
            s.execute("LOCK TABLE held IN ACCESS EXCLUSIVE MODE");

            assertThatThrownBy(() -> runner.run(Explorer.follow(Schedule.parse("A"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("actor A did not reach its next yield point within PT2S, its statement waiting for a session"
                            + " that is not an actor of this run; last sent: SELECT count(*) FROM held");
            assertThat(sessions(s, "SELECT count(*) FROM held", true)).as("the actor's statement was cancelled").isZero();

            outsider.rollback();
            Execution next = runner.run(Explorer.follow(Schedule.parse("A")));
            assertThat(next.verdict()).isEqualTo(new Verdict.Passed());
            assertThat(workers(scenario.name())).hasSize(1);
        }
    }

    @Test
    void aBlockingProbeThatFailsEndsTheRunAndItsActors() throws Exception {
        Scenario scenario = Race.scenario("the observer goes away")
                .session("A", s -> s.step("SELECT pg_sleep(1)"))
                .build();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (Connection admin = postgres().getConnection(); Statement s = admin.createStatement();
             ScenarioRunner runner = new ScenarioRunner(scenario, postgres(), Duration.ofSeconds(20))) {
            CompletableFuture<Execution> run = CompletableFuture.supplyAsync(
                    () -> runner.run(Explorer.follow(Schedule.parse("A"))), caller);
            // the harness asks whom the sleeping statement waits for until the answer stops coming
            await().atMost(Duration.ofSeconds(10)).until(() -> sessions(s, "%pg_blocking_pids%", false) > 0);
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_blocking_pids%'"
                    + " AND datname = current_database() AND pid <> pg_backend_pid()");

            assertThatThrownBy(run::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("asking the database whom actor A waits for failed");
            // the actor ran to its end before the run returned: its session is idle again
            assertThat(sessions(s, "SELECT pg_sleep(1)", true)).isZero();
            assertThat(workers(scenario.name())).hasSize(1);
            // without its observer, the next run fails the same way, and says why
            assertThatThrownBy(() -> runner.run(Explorer.follow(Schedule.parse("A"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("asking the database whom actor A waits for failed: This connection has been closed.");
            assertThat(sessions(s, "SELECT pg_sleep(1)", true)).isZero();
        } finally {
            caller.shutdown();
            assertThat(caller.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> workers(scenario.name()).isEmpty());
    }

    @Test
    void anActorStuckInItsOwnCodeLeavesTheRunnerRefusingToRunAgain() {
        CountDownLatch never = new CountDownLatch(1);
        Scenario scenario = Race.scenario("stuck in its own code")
                .actor("A", ds -> {
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        s.execute("SELECT 1");
                        never.await(); // until the test lets it go
                    }
                    return null;
                })
                .build();
        ScenarioRunner runner = new ScenarioRunner(scenario, databases.of(DatabaseKind.SQLITE), Duration.ofMillis(500));
        try {
            assertThatThrownBy(() -> runner.run(Explorer.follow(Schedule.parse("A"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("actor A did not reach its next yield point within PT0.5S; last sent: SELECT 1")
                    .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                            .containsExactly("actors [A (RUNNING)] did not finish within PT0.5S after the run ended"));
            assertThatThrownBy(() -> runner.run(Explorer.follow(Schedule.parse("A"))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("this runner of scenario 'stuck in its own code' cannot run again: actors [A (RUNNING)] did not"
                            + " finish within PT0.5S after the run ended; close it and make a new one");
        } finally {
            runner.close();
            never.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> workers(scenario.name()).isEmpty());
    }

    /** How many other sessions of this database last sent a query like {@code queryLike} (and still run it, if {@code running}). */
    private static int sessions(Statement s, String queryLike, boolean running) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + (running ? " AND state = 'active'" : "") + " AND query LIKE '" + queryLike.replace("'", "''")
                + "' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
