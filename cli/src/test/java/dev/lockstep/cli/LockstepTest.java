package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command's own behaviour, without a database: exit codes and one-line errors. */
class LockstepTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    void everySubcommandHasHelp() {
        for (String command : new String[] {"demo", "race", "schema", "install"}) {
            assertThat(Lockstep.run(command, "--help")).as(command).isZero();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: lockstep demo").contains("Usage: lockstep race")
                .contains("--scenario").contains("Usage: lockstep install");
    }

    @Test
    void schemaPrintsTheShippedDdl() {
        assertThat(Lockstep.run("schema", "--db", "postgresql", "--strategy", "running-at-creation")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("CREATE TABLE IF NOT EXISTS lockstep_run").contains("lockstep_run_one_active_per_key");
    }

    @Test
    void badInputIsOneLineAndExitCodeTwoWithoutAStackTrace() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "mutex")).isEqualTo(2);
        assertThat(Lockstep.run("race", "--scenario", "nope", "--strategy", "lease")).isEqualTo(2);
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "lease", "--db", "mysql://x")).isEqualTo(2);
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "lease", "--mode", "replay")).isEqualTo(2);
        assertThat(Lockstep.run("schema", "--db", "oracle")).isEqualTo(2);
        assertThat(Lockstep.run("race", "--strategy", "lease")).as("missing --scenario").isEqualTo(2);

        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(errors).contains("lockstep: unknown strategy 'mutex'; known: naive-guard")
                .contains("lockstep: unknown scenario 'nope'; known: start-start")
                .contains("lockstep: unknown database 'mysql://x'")
                .contains("--mode replay needs --replay")
                .contains("Missing required option: '--scenario");
        assertThat(errors).doesNotContain("\tat ");
    }

    @Test
    void anUnreachableDatabaseIsOneLineAndExitCodeTwo() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "lease",
                "--db", "jdbc:postgresql://127.0.0.1:1/x?user=postgres")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("lockstep: cannot use jdbc:postgresql://127.0.0.1:1/x?user=postgres")
                .doesNotContain("\tat ");
    }

    @Test
    void passwordsNeverAppearInMessages() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "lease",
                "--db", "jdbc:postgresql://127.0.0.1:1/x?user=postgres&password=hunter2")).isEqualTo(2);
        assertThat(Lockstep.run("install", "--db", "jdbc:mysql://h/x?user=u&password=hunter2")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("lockstep: cannot use jdbc:postgresql://127.0.0.1:1/x?user=postgres&password=***: ")
                .contains("lockstep: unknown database 'jdbc:mysql://h/x?user=u&password=***'")
                .doesNotContain("hunter2");
    }
}
