package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.harness.db.DatabaseKind;
import dev.lockstep.harness.db.TestDatabase;
import dev.lockstep.harness.db.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The command against real databases: race exit codes and the counterexample, install. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockstepIT {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private TestDatabase postgres;

    @BeforeAll
    void database() {
        postgres = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
    }

    @AfterAll
    void drop() {
        postgres.close();
    }

    @BeforeEach
    void capture() {
        originalOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
    }

    @Test
    void theNaiveGuardExitsOneWithItsCounterexampleOnSqliteAndPostgres() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard")).isEqualTo(1);
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard", "--db", postgres.jdbcUrl())).isEqualTo(1);

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("database: SQLite").contains("database: PostgreSQL")
                .contains("broke: invariant broken: at most one active run per key").contains("replay: A A");
    }

    @Test
    void theAdvisoryLockExitsZeroOnSqliteAndPostgres() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "advisory-lock")).isZero();
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "advisory-lock", "--db", postgres.jdbcUrl())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("complete").contains("no invariant broke");
    }

    @Test
    void aReplayedScheduleReproducesTheCounterexample() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard",
                "--mode", "replay", "--replay", "A A A A A B B B B B B A")).isEqualTo(1);
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard",
                "--mode", "replay", "--replay", "A A A A A A B B B B")).as("serial: B is refused").isZero();
    }

    @Test
    void installIsIdempotentAndCreatesTheTables() throws Exception {
        assertThat(Lockstep.run("install", "--db", postgres.jdbcUrl(), "--strategy", "running-at-creation")).isZero();
        assertThat(Lockstep.run("install", "--db", postgres.jdbcUrl(), "--strategy", "running-at-creation")).isZero();
        try (Connection c = postgres.dataSource().getConnection();
             ResultSet rs = c.getMetaData().getTables(null, "public", "lockstep_%", new String[] {"TABLE"})) {
            int tables = 0;
            while (rs.next()) {
                tables++;
            }
            assertThat(tables).isEqualTo(2);
        }
    }
}
