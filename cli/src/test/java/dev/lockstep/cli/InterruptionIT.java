package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ctrl-C and kill, for real: the command runs in a child JVM (this test's classpath), is signalled once its
 * scratch schema or file exists, and must exit with the signal's status, say in one line what it cleaned up,
 * and leave nothing behind. The child's temporary directory is the test's, and its PostgreSQL scratch schemas
 * go into a database of the test's own, so what is left is exactly what the child left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InterruptionIT {

    /** Generous: a child JVM starting beside four busy processes, then stopping its workers. */
    private static final Duration BOUND = Duration.ofSeconds(90);

    private TestDatabase postgres;
    private boolean envResetsSignals;

    @BeforeAll
    void database() throws Exception {
        postgres = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
        // a job started in the background of a shell ignores SIGINT, and so do its children, the JVM included
        // (it then installs no handler); coreutils' env can give the child the default back
        Process probe = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
        envResetsSignals = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }

    @AfterAll
    void drop() {
        postgres.close();
    }

    @ParameterizedTest(name = "{0} on {1}, {2}")
    @CsvSource({
        "soak,  sqlite,   INT",
        "soak,  sqlite,   TERM",
        "soak,  postgres, INT",
        "soak,  postgres, TERM",
        "bench, sqlite,   INT",
        "bench, postgres, TERM",
        "race,  postgres, INT",
        "demo,  sqlite,   TERM",
    })
    void aSignalStopsTheCommandAndRemovesItsScratchPlace(String command, String db, String signal, @TempDir Path dir)
            throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        boolean sqlite = db.equals("sqlite");
        List<String> args = new ArrayList<>(switch (command) {
            case "soak" -> List.of("soak", "--strategy", "running-at-creation", "--duration", "5m");
            case "bench" -> List.of("bench", "--duration", "1m", "--warmup", "0ms");
            case "race" -> List.of("race", "--scenario", "start-start", "--strategy", "advisory-lock", "--mode", "random",
                    "--schedules", "10000000");
            default -> List.of("demo");
        });
        args.addAll(List.of("--db", sqlite ? "sqlite" : postgres.jdbcUrl()));
        Process child = start(args, tmp, dir);
        try {
            String place = await("the scratch place of " + command).atMost(BOUND).pollInterval(Duration.ofMillis(100))
                    .until(() -> scratchPlace(sqlite, tmp), Optional::isPresent).orElseThrow();

            if (signal.equals("TERM")) {
                child.destroy();
            } else {
                assertThat(new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor()).isZero();
            }

            assertThat(child.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the child ended").isTrue();
            String err = Files.readString(dir.resolve("err"), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(err).isEqualTo(signal.equals("TERM") ? 143 : 130);
            List<String> said = err.lines().filter(line -> line.startsWith("lockstep:")).toList();
            assertThat(said).as(err).hasSize(1);
            String cleaned = said.get(0);
            String removal = sqlite ? "deleted scratch file " : "dropped scratch schema ";
            assertThat(cleaned).as(err).startsWith("lockstep: interrupted; stopped the work and " + removal);
            if (!command.equals("demo")) { // the demo opens one place after the other: the one found may be done already
                assertThat(cleaned).endsWith(removal + place);
            }
            assertThat(scratchPlace(sqlite, tmp)).as("left behind").isEmpty();
        } finally {
            child.destroyForcibly();
            child.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private Process start(List<String> args, Path tmp, Path dir) throws IOException {
        List<String> command = new ArrayList<>();
        if (envResetsSignals) {
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), Lockstep.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile())
                .start();
    }

    /** The scratch file ({@code <tmp>/lockstep-.../scratch.db}) or scratch schema the child has now, if any. */
    private Optional<String> scratchPlace(boolean sqlite, Path tmp) throws IOException, SQLException {
        if (sqlite) {
            try (Stream<Path> dirs = Files.list(tmp)) {
                return dirs.filter(d -> d.getFileName().toString().startsWith("lockstep-")).map(d -> d.resolve("scratch.db"))
                        .filter(Files::exists).map(Path::toString).findFirst();
            }
        }
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'lockstep_scratch_%'")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }
}
