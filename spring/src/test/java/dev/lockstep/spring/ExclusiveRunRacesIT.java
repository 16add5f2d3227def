package dev.lockstep.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Database;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.spring.ExclusiveRun.OnConflict;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import dev.lockstep.testsupport.LockstepScenarios;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.aop.framework.ProxyFactory;

/**
 * Two nodes call the same {@code @ExclusiveRun(onConflict = SKIP)} method for the same day, each through its own
 * proxy and lockstep template on its own connections, in every interleaving of their statements with at most two
 * preemptions: the report is written once per call that ran, never by two runs at once, every run that ran is
 * completed, and a call is skipped only while the other node's run held the key.
 */
class ExclusiveRunRacesIT {

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"RUNNING_AT_CREATION, SQLITE", "RUNNING_AT_CREATION, POSTGRESQL", "RUNNING_AT_CREATION, MARIADB",
            "ADVISORY_LOCK, SQLITE", "ADVISORY_LOCK, POSTGRESQL", "ON_CONFLICT_LEASE, POSTGRESQL",
            "PENDING_INCLUSIVE_GUARD, POSTGRESQL"})
    void twoNodesSkippingTheNightlyReportWriteItOncePerRunThatRan(Strategy strategy, DatabaseKind kind) {
        RaceResult result = explore(strategy, kind);

        assertThat(result.failed()).as(result.report()).isFalse();
        assertThat(result.exploration().complete()).as("%s", result.exploration()).isTrue();
        // run ids differ with the strategy (a refused insert may use one up); the final invariant pairs them with reports
        assertThat(result.exploration().outcomes().keySet().stream().map(outcome -> outcome.replaceAll("run \\d+", "run #")).distinct())
                .containsExactlyInAnyOrder("A=ran in run # B=ran in run #", "A=ran in run # B=skipped", "A=skipped B=ran in run #");
    }

    /** The scenario is not vacuous: on lock-core's deliberately unsafe guard it finds both nodes running the report at once. */
    @ParameterizedTest
    @CsvSource({"SQLITE", "POSTGRESQL"})
    void onTheNaiveGuardBothNodesRunTheReportAtOnce(DatabaseKind kind) {
        RaceResult result = explore(Strategy.UNSAFE_NAIVE_GUARD, kind);

        assertThat(result.failed()).isTrue();
        assertThat(result.report()).contains("invariant broken: at most one active run per key");
    }

    private static RaceResult explore(Strategy strategy, DatabaseKind kind) {
        Coordinator.Options options = Coordinator.Options.of(strategy).withStaleAfter(LockstepScenarios.STALE_AFTER).withSchemaCheck(false);
        Scenario scenario = Race.scenario("@ExclusiveRun SKIP on two nodes (" + strategy.label() + ")")
                .setup(c -> {
                    List<String> statements = new ArrayList<>(LockstepScenarios.emptyTables(Database.of(c)));
                    statements.add("DELETE FROM report");
                    try (Statement s = c.createStatement()) {
                        for (String statement : statements) {
                            s.execute(statement);
                        }
                    }
                })
                .invariant("at most one active run per key", LockstepScenarios.ONE_ACTIVE_PER_KEY)
                .actor("A", ds -> node(ds, options, "node-a").write("2026-12-05").orElse("skipped"))
                .actor("B", ds -> node(ds, options, "node-b").write("2026-12-05").orElse("skipped"))
                // a refused begin leaves no run, except under pending-guard: its own run, cancelled
                .finalInvariant("one report per completed run, reports only of completed runs, every other run cancelled",
                        "SELECT r.id FROM lockstep_run r WHERE r.status NOT IN ('completed', 'cancelled') "
                                + "OR (SELECT count(*) FROM report p WHERE p.run_id = r.id) <> (CASE WHEN r.status = 'completed' THEN 1 ELSE 0 END) "
                                + "UNION SELECT p.run_id FROM report p WHERE NOT EXISTS (SELECT 1 FROM lockstep_run r WHERE r.id = p.run_id)")
                .finalCheck("as many completed runs as calls that ran", (outcomes, observer) -> {
                    try (Statement s = observer.createStatement(); ResultSet runs = s.executeQuery("SELECT count(*) FROM lockstep_run WHERE status = 'completed'")) {
                        runs.next();
                        return outcomes.returnedWhere(String.class, value -> value.startsWith("ran in run")) == runs.getLong(1);
                    }
                })
                .build();
        try (TestDatabase database = TestDatabases.shared().create(kind)) {
            Schema.install(database.dataSource(), strategy);
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE report (day VARCHAR(10) NOT NULL, run_id BIGINT NOT NULL)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return RaceHarness.on(database.dataSource()).explore(scenario, Explorer.exhaustive(20_000, 2));
        }
    }

    /** One node's report service, proxied as its application context would proxy it. */
    private static NightlyReport node(DataSource ds, Coordinator.Options options, String owner) {
        ProxyFactory proxies = new ProxyFactory(new NightlyReport(ds));
        proxies.setProxyTargetClass(true);
        proxies.addAdvisor(new ExclusiveRunAdvisor(new LockstepTemplate(Coordinator.create(ds, options), owner)));
        return (NightlyReport) proxies.getProxy();
    }

    public static class NightlyReport {

        private final DataSource dataSource;

        public NightlyReport(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @ExclusiveRun(key = "'report/' + #day", name = "nightly-report", onConflict = OnConflict.SKIP)
        public Optional<String> write(String day) throws SQLException {
            long runId = ExclusiveRunContext.assertHeld().claim().runId();
            try (Connection c = dataSource.getConnection();
                    PreparedStatement insert = c.prepareStatement("INSERT INTO report (day, run_id) VALUES (?, ?)")) {
                insert.setString(1, day);
                insert.setLong(2, runId);
                insert.executeUpdate();
            }
            return Optional.of("ran in run " + runId);
        }
    }
}
