package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.trace.TraceEvent;
import dev.lockstep.harness.trace.TraceReport;
import dev.lockstep.testdb.DatabaseKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the code under test writes to the console (a library's log line, a stack trace it prints, a
 * line from a thread it started) goes into the trace in its actor's column, after the step it followed,
 * and not to the console; what other threads write still reaches the console.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleLogsIT {

    @AutoClose
    private final TestedDatabases databases;

    ConsoleLogsIT() throws SQLException {
        databases = TestedDatabases.create("CREATE TABLE job (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL)");
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = {"SQLITE", "POSTGRESQL"})
    void theActorsConsoleOutputIsInItsColumnAndNotOnTheConsole(DatabaseKind kind) throws Exception {
        Scenario scenario = Race.scenario("logging actors").setupSql("DELETE FROM job")
                .actor("A", ConsoleLogsIT::enqueueLoudly)
                .actor("B", ds -> {
                    System.out.println("B: detected database");
                    return count(ds);
                })
                .build();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        Execution run;
        try (PrintStream mine = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            System.setOut(mine);
            System.setErr(mine);
            try (ScenarioRunner runner = new ScenarioRunner(scenario, databases.of(kind), Duration.ofSeconds(20))) {
                run = runner.run((step, ready, previous) -> {
                    System.err.println("the scheduler decides step " + step);
                    return ready.get(0);
                });
            }
            assertThat(System.err).as("System.err once the runner closed").isSameAs(mine);
            assertThat(System.out).as("System.out once the runner closed").isSameAs(mine);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        assertThat(events(run)).containsExactly(
                "log A: A: about to enqueue",
                "log B: B: detected database",
                "step 0 A: INSERT INTO job (id, name) VALUES (1, 'nightly')",
                "log A: A's helper thread started|java.lang.IllegalStateException: the mail server said no",
                "step 1 A: SELECT count(*) FROM job",
                "finished A",
                "step 2 B: SELECT count(*) FROM job",
                "finished B");
        assertThat(run.outcomes().of("A")).isEqualTo(new Outcome.Returned(1));
        String shown = new String(console.toByteArray(), StandardCharsets.UTF_8);
        assertThat(shown).contains("the scheduler decides step 0\n", "the scheduler decides step 2\n")
                .doesNotContain("about to enqueue").doesNotContain("helper thread").doesNotContain("mail server")
                .doesNotContain("detected database");
        String report = TraceReport.of(scenario.name(), kind.name(), run).render();
        assertThat(report).contains("| log: A: about to enqueue")
                .contains("| log: A's helper thread started")
                .contains("|   java.lang.IllegalStateException: the mail")
                .containsPattern("\\|   at ConsoleLogsIT\\.java:\\d+ \\(enqueueLoudly\\) ")
                .doesNotContain("ScenarioRunner.java");
    }

    private static Object enqueueLoudly(DataSource ds) throws Exception {
        System.err.println("A: about to enqueue");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO job (id, name) VALUES (1, 'nightly')");
        }
        Thread helper = new Thread(() -> System.out.println("A's helper thread started"));
        helper.start();
        helper.join();
        new IllegalStateException("the mail server said no").printStackTrace();
        return count(ds);
    }

    private static int count(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                var rows = s.executeQuery("SELECT count(*) FROM job")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** The trace as one line per event, a log's lines joined by |. */
    private static List<String> events(Execution run) {
        List<String> lines = new ArrayList<>();
        for (TraceEvent event : run.trace().events()) {
            if (event instanceof TraceEvent.Log log) {
                List<String> logged = log.text().lines().filter(l -> !l.startsWith("\tat ")).toList();
                lines.add("log " + log.actor() + ": " + String.join("|", logged));
            } else if (event instanceof TraceEvent.Step step) {
                lines.add("step " + step.step() + " " + step.actor() + ": " + step.sql());
            } else if (event instanceof TraceEvent.Finished finished) {
                lines.add("finished " + finished.actor());
            }
        }
        return lines;
    }
}
