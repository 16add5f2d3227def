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
import java.util.Set;
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
 * scratch schema, database or file exists, and must exit with the signal's status, say in one line what it
 * cleaned up, and leave nothing behind. The child's temporary directory is the test's, and its PostgreSQL
 * scratch schemas go into a database of the test's own, so what is left is exactly what the child left. A
 * MariaDB scratch database is the server's: the child's is the one that was not there before it started.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InterruptionIT {

    /** Generous: a child JVM starting beside four busy processes, then stopping its workers. */
    private static final Duration BOUND = Duration.ofSeconds(90);

    private TestDatabase postgres;
    private TestDatabase mariadb;
    private boolean envResetsSignals;

    @BeforeAll
    void database() throws Exception {
        postgres = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
        mariadb = TestDatabases.shared().create(DatabaseKind.MARIADB);
        // a job started in the background of a shell ignores SIGINT, and so do its children, the JVM included
        // (it then installs no handler); coreutils' env can give the child the default back
        Process probe = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
        envResetsSignals = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    }

    @AfterAll
    void drop() {
        postgres.close();
        mariadb.close();
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
        "soak,  mariadb,  INT",
        "bench, mariadb,  TERM",
    })
    void aSignalStopsTheCommandAndRemovesItsScratchPlace(String command, String db, String signal, @TempDir Path dir)
            throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Place where = new Place(db, tmp, db.equals("mariadb") ? mariadbScratch() : Set.of());
        List<String> args = new ArrayList<>(switch (command) {
            case "soak" -> List.of("soak", "--strategy", "running-at-creation", "--duration", "5m");
            case "bench" -> List.of("bench", "--duration", "1m", "--warmup", "0ms");
            case "race" -> List.of("race", "--scenario", "start-start", "--strategy", "advisory-lock", "--mode", "random",
                    "--schedules", "10000000");
            default -> List.of("demo");
        });
        args.addAll(List.of("--db", switch (db) {
            case "sqlite" -> "sqlite";
            case "mariadb" -> mariadb.jdbcUrl();
            default -> postgres.jdbcUrl();
        }));
        Process child = start(args, tmp, dir);
        try {
            String place = await("the scratch place of " + command).atMost(BOUND).pollInterval(Duration.ofMillis(100))
                    .until(() -> scratchPlace(where), Optional::isPresent).orElseThrow();

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
            String removal = switch (db) {
                case "sqlite" -> "deleted scratch file ";
                case "mariadb" -> "dropped scratch database ";
                default -> "dropped scratch schema ";
            };
            assertThat(cleaned).as(err).startsWith("lockstep: interrupted; stopped the work and " + removal);
            if (!command.equals("demo")) { // the demo opens one place after the other: the one found may be done already
                assertThat(cleaned).endsWith(removal + place);
            }
            assertThat(scratchPlace(where)).as("left behind").isEmpty();
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

    /** Where the child works: its database, its temporary directory, and the MariaDB scratch databases that are not its. */
    private record Place(String db, Path tmp, Set<String> others) {}

    /**
     * The scratch file ({@code <tmp>/lockstep-.../scratch.db}), scratch schema or scratch database the child
     * has now, if any.
     */
    private Optional<String> scratchPlace(Place where) throws IOException, SQLException {
        if (where.db().equals("mariadb")) {
            return mariadbScratch().stream().filter(name -> !where.others().contains(name)).findFirst();
        }
        if (where.db().equals("sqlite")) {
            try (Stream<Path> dirs = Files.list(where.tmp())) {
                return dirs.filter(d -> d.getFileName().toString().startsWith("lockstep-")).map(d -> d.resolve("scratch.db"))
                        .filter(Files::exists).map(Path::toString).findFirst();
            }
        }
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'lockstep_scratch_%'")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    private Set<String> mariadbScratch() throws SQLException {
        return LockstepOnMariaDbIT.scratchDatabases(mariadb.dataSource());
    }
}
