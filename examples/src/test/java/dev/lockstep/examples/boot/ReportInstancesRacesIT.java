package dev.lockstep.examples.boot;

import static dev.lockstep.examples.Exhaustive.assertNoRaceAndOutcomes;
import static dev.lockstep.harness.junit.RaceAssertions.assertRaceFound;
import static dev.lockstep.testdb.DatabaseKind.POSTGRESQL;
import static dev.lockstep.testdb.DatabaseKind.SQLITE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.Database;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.examples.TableRows;
import dev.lockstep.examples.boot.NightlyReports.Exclusive;
import dev.lockstep.examples.boot.NightlyReports.Unguarded;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.junit.RaceTest;
import dev.lockstep.micrometer.LockstepMetrics;
import dev.lockstep.testsupport.LockstepScenarios;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * Two instances of {@link ReportApplication} — two Spring Boot application contexts, each with the starter, its
 * own coordinator and its own meters — on one database, their scheduled jobs fired at once and interleaved
 * statement by statement by the harness. Each instance's data source hands out the connection the harness gives
 * its actor, so every statement the job and lockstep send is a step of the schedule.
 */
class ReportInstancesRacesIT {

    private static final String ONE_REPORT_PER_DAY = "one report per day";
    private static final Clock DAY = Clock.fixed(Instant.parse("2026-12-05T02:00:00Z"), ZoneOffset.UTC);

    @RaceTest(databases = {SQLITE, POSTGRESQL}, setup = ReportApplication.REPORT_TABLE)
    void theUnguardedJobWritesTheReportTwice(RaceHarness harness, DataSource database) {
        try (Instance a = Instance.start("instance-a", database); Instance b = Instance.start("instance-b", database)) {
            RaceResult result = harness.explore(jobs("unguarded nightly report", a, b, Unguarded.class).build(), Explorer.exhaustive(1_000));

            Execution race = assertRaceFound(result);
            // both instances checked before either wrote; the report was written twice
            assertThat(race.verdict()).isInstanceOfSatisfying(Verdict.InvariantBroken.class,
                    broken -> assertThat(broken.invariant() + ": " + broken.evidence()).isEqualTo(ONE_REPORT_PER_DAY + ": day=2026-12-05, reports=2"));
        }
    }

    @RaceTest(databases = {SQLITE, POSTGRESQL}, setup = ReportApplication.REPORT_TABLE)
    void theExclusiveJobWritesItOnceAndTheMetersSaySo(RaceHarness harness, DataSource database) {
        try (Instance a = Instance.start("instance-a", database); Instance b = Instance.start("instance-b", database)) {
            AtomicReference<List<Double>> before = new AtomicReference<>();
            Scenario scenario = jobs("@ExclusiveRun nightly report", a, b, Exclusive.class)
                    .setup(c -> before.set(List.of(claims(a, b, "claimed"), claims(a, b, "rejected"))))
                    .finalCheck("each instance's meters count its claim or its rejection, and no run is still held",
                            (outcomes, observer) -> {
                                double claimed = claims(a, b, "claimed") - before.get().get(0);
                                double rejected = claims(a, b, "rejected") - before.get().get(1);
                                List<String> runs = TableRows.of(observer, "SELECT status FROM lockstep_run");
                                return claimed == runs.size() && claimed + rejected == 2 && runs.stream().allMatch("completed"::equals)
                                        && a.active() + b.active() == 0;
                            })
                    .build();

            RaceResult result = harness.explore(scenario, Explorer.exhaustive(1_000));

            assertNoRaceAndOutcomes(result, "A=wrote B=did not write", "A=did not write B=wrote");
            assertThat(result.exploration().runs()).as("schedules explored").isGreaterThan(2);
        }
    }

    /** Instance a's job as actor A, b's as B, each schedule from empty tables, and the promise the job must keep. */
    private static Scenario.Builder jobs(String name, Instance a, Instance b, Class<? extends NightlyReports.Job> job) {
        return Race.scenario(name)
                .setup(ReportInstancesRacesIT::emptyTables)
                .actor("A", ds -> a.fire(ds, job))
                .actor("B", ds -> b.fire(ds, job))
                .invariant(ONE_REPORT_PER_DAY, "SELECT day, count(*) AS reports FROM report GROUP BY day HAVING count(*) > 1");
    }

    private static void emptyTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM report");
            for (String statement : LockstepScenarios.emptyTables(Database.of(c))) {
                s.execute(statement);
            }
        }
    }

    private static double claims(Instance a, Instance b, String outcome) {
        return a.claims(outcome) + b.claims(outcome);
    }

    /** One running instance of the service: its context, and the data source its actor's connections go through. */
    private record Instance(ConfigurableApplicationContext context, ActorDataSource dataSource) implements AutoCloseable {

        static Instance start(String name, DataSource database) {
            ActorDataSource dataSource = new ActorDataSource(database);
            ConfigurableApplicationContext context = new SpringApplicationBuilder(ReportApplication.class)
                    .web(WebApplicationType.NONE)
                    .properties("lockstep.owner=" + name, "lockstep.schema.initialize-mode=always", "spring.main.banner-mode=off")
                    .initializers(c -> {
                        GenericApplicationContext generic = (GenericApplicationContext) c;
                        generic.registerBean(DataSource.class, () -> dataSource);
                        generic.registerBean(MeterRegistry.class, SimpleMeterRegistry::new);
                        generic.registerBean("clock", Clock.class, () -> DAY);
                    })
                    .run();
            return new Instance(context, dataSource);
        }

        /** The job fired by this instance's scheduler, on the harness's connections; what this instance did. */
        String fire(DataSource actor, Class<? extends NightlyReports.Job> job) {
            NightlyReports.Job bean = context.getBean(job);
            int before = bean.written();
            dataSource.use(actor);
            try {
                bean.nightly();
            } finally {
                dataSource.use(null);
            }
            return bean.written() > before ? "wrote" : "did not write";
        }

        double claims(String outcome) {
            return context.getBean(MeterRegistry.class).get(LockstepMetrics.CLAIMS).tags("operation", "begin", "outcome", outcome)
                    .counter().count();
        }

        int active() {
            return context.getBean(MeterRegistry.class).get(LockstepMetrics.RUN_ACTIVE).tags("name", "nightly-report")
                    .longTaskTimer().activeTasks();
        }

        @Override
        public void close() {
            context.close();
        }
    }

    /**
     * The instance's data source: the harness's actor connections while a schedule runs the job, the test
     * database otherwise (at startup, when the coordinator checks the schema).
     */
    private static final class ActorDataSource extends AbstractDataSource {

        private final DataSource database;
        private volatile DataSource actor;

        ActorDataSource(DataSource database) {
            this.database = database;
        }

        void use(DataSource actor) {
            this.actor = actor;
        }

        private DataSource current() {
            DataSource current = actor;
            return current != null ? current : database;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return current().getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return current().getConnection(user, password);
        }
    }
}
