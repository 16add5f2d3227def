package dev.lockstep.harness.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Verdict;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A schedule can name the step each decision is for ({@code A:guard}), by a session step's name or by
 * the call site that sends the statement; a replay checks it, so a schedule written for older code
 * fails saying what it found instead of quietly meaning something else.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NamedStepsIT {

    private TestDatabase sqlite;
    private RaceHarness harness;

    @BeforeAll
    void database() {
        sqlite = TestDatabases.shared().create(DatabaseKind.SQLITE);
        harness = RaceHarness.on(sqlite.dataSource());
    }

    @AfterAll
    void drop() {
        sqlite.close();
    }

    /** A check-then-act job: {@link #guard} reads, {@link #insert} writes; with {@code audit} it first writes an audit row. */
    static final class Job {
        private final boolean audit;

        Job(boolean audit) {
            this.audit = audit;
        }

        Object run(DataSource dataSource) throws SQLException {
            try (Connection connection = dataSource.getConnection()) {
                if (audit) {
                    audit(connection);
                }
                if (guard(connection)) {
                    return "refused";
                }
                insert(connection);
                return "started";
            }
        }

        private static void audit(Connection connection) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO audit (what) VALUES ('start')")) {
                statement.executeUpdate();
            }
        }

        private static boolean guard(Connection connection) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM run");
                 ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }

        private static void insert(Connection connection) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO run (key) VALUES ('k')")) {
                statement.executeUpdate();
            }
        }
    }

    private static Scenario jobs(boolean audit) {
        return Race.scenario("check then act")
                .setupSql("DROP TABLE IF EXISTS run", "CREATE TABLE run (key TEXT)", "DROP TABLE IF EXISTS audit", "CREATE TABLE audit (what TEXT)")
                .actor("A", new Job(audit)::run)
                .actor("B", new Job(audit)::run)
                .finalInvariant("one run", "SELECT key FROM run GROUP BY key HAVING count(*) > 1")
                .build();
    }

    @Test
    void aScheduleByMethodNamesReplaysTheRaceItNames() {
        Execution run = harness.replay(jobs(false), Schedule.parse("A:guard B:guard A:insert B:insert"));

        assertThat(run.verdict()).isInstanceOfSatisfying(Verdict.InvariantBroken.class, broken -> assertThat(broken.invariant()).isEqualTo("one run"));
        assertThat(run.schedule()).isEqualTo(Schedule.parse("A B A B"));
    }

    @Test
    void aScheduleByFileAndLineOrTypeAndMethodIsCheckedToo() {
        Execution byType = harness.replay(jobs(false), Schedule.parse("A:Job.guard B:Job.guard A:Job.insert B:Job.insert"));

        assertThat(byType.verdict()).isInstanceOf(Verdict.InvariantBroken.class);
        assertThat(harness.replay(jobs(false), Schedule.parse("A:NamedStepsIT.java:1 B A B")).verdict())
                .isInstanceOf(Verdict.OtherStep.class);
    }

    @Test
    void whenTheCodeSendsAnotherStatementFirstTheReplayFailsSayingWhatItFound() {
        Execution run = harness.replay(jobs(true), Schedule.parse("A:guard B:guard A:insert B:insert"));

        assertThat(run.verdict()).isInstanceOfSatisfying(Verdict.OtherStep.class, other -> {
            assertThat(other.step()).isZero();
            assertThat(other.actor()).isEqualTo("A");
            assertThat(other.named()).isEqualTo("guard");
            assertThat(other.found()).matches("'INSERT INTO audit \\(what\\) VALUES \\('start'\\)' sent from NamedStepsIT\\$Job\\.audit\\(NamedStepsIT\\.java:\\d+\\)");
        });
        assertThat(run.verdict().summary()).startsWith("schedule invalid: step 0 asks for A:guard, but A's statement there is 'INSERT INTO audit");
        assertThat(harness.report(jobs(true), run)).contains("the code under test has changed since the schedule was written");
    }

    @Test
    void aSessionStepIsNamedByItsOwnName() {
        Scenario sessions = Race.scenario("sessions")
                .setupSql("DROP TABLE IF EXISTS run", "CREATE TABLE run (key TEXT)")
                .session("s1", s -> s.setup("BEGIN").step("s1r", "SELECT count(*) FROM run").expectValues("0").step("s1c", "COMMIT"))
                .build();

        assertThat(harness.replay(sessions, Schedule.parse("s1 s1:s1r s1:s1c")).verdict()).isEqualTo(new Verdict.Passed());
        assertThat(harness.replay(sessions, Schedule.parse("s1:s1r s1 s1")).verdict())
                .isEqualTo(new Verdict.OtherStep(0, "s1", "s1r", "setup 'BEGIN'"));
    }

    @Test
    void aDecisionNamingNoStepOrAnActorWithAColonIsRefused() {
        assertThatThrownBy(() -> Schedule.parse("A: B"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("decision 'A:' names no step after its actor (write A or A:step)");
        assertThatThrownBy(() -> Race.scenario("s").actor("A:B", ds -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be 1 to 32 letters, digits or _ . -");
    }
}
