package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.bench.Subject;
import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Run;
import dev.lockstep.core.Strategy;
import dev.lockstep.core.TableNames;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command against real databases: race exit codes and the counterexample, install, bench, and the
 * scratch targets they work in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockstepIT {

    private static final String CSV_HEADER = "subject,safety,threads,keys,duration_ms,attempts,claims,rejections,errors,violations,"
            + "claims_per_s,p50_us,p99_us,p999_us";

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private TestDatabase postgres;

    @BeforeAll
    void database() {
        postgres = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
    }

    @AfterAll
    void drop() {
        postgres.close();
    }

    @Test
    void theNaiveGuardExitsOneWithItsCounterexampleOnSqliteAndPostgres() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard")).isEqualTo(1);
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard", "--db", postgres.jdbcUrl())).isEqualTo(1);

        String printed = console.out();
        assertThat(printed).contains("database: SQLite").contains("database: PostgreSQL")
                .contains("broke: invariant broken: at most one active run per key").contains("replay: A A");
    }

    @Test
    void theAdvisoryLockExitsZeroOnSqliteAndPostgres() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "advisory-lock")).isZero();
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "advisory-lock", "--db", postgres.jdbcUrl())).isZero();
        assertThat(console.out()).contains("complete").contains("no invariant broke");
    }

    @Test
    void aReplayedScheduleReproducesTheCounterexample() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard",
                "--mode", "replay", "--replay", "A A A B B B B A")).isEqualTo(1);
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard",
                "--mode", "replay", "--replay", "A A A A B B B B B")).as("serial: B is refused").isZero();
    }

    @Test
    void replayOptionImpliesReplayMode() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard", "--replay", "A A A B B B B A")).isEqualTo(1);

        assertThat(console.out()).contains("\nexplorer: replay(A A A B B B B A)\n").contains("\nreplay: A A A B B B B A\n")
                .doesNotContain("exhaustive");
    }

    @Test
    void aScheduleThatCannotBeFollowedExitsTwoNamingTheStepTheActorAndWhoCouldMove() {
        for (String db : new String[] {"sqlite", postgres.jdbcUrl()}) {
            console.reset();
            assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard", "--db", db, "--replay", "A A C"))
                    .as(db).isEqualTo(2);

            assertThat(console.err()).as(db).isEqualTo("lockstep: --replay does not describe this run: schedule invalid: step 2 asks for C, "
                    + "which is not an actor of this scenario; only A, B could move\n");
            assertThat(console.out()).as(db).contains("\nreplay failed: schedule invalid: step 2 asks for C")
                    .contains("\nreplay: A A C\n").doesNotContain("no invariant broke");
        }
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard", "--replay", "A A A A A A A")).isEqualTo(2);
        assertThat(console.err()).contains("schedule invalid: step 4 asks for A, which has finished; only B could move\n");
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard", "--replay", "A A A A B B B B B A"))
                .isEqualTo(2);
        assertThat(console.err()).contains("schedule invalid: step 9 asks for A, which has finished; every actor has finished\n");
    }

    @Test
    void aScheduleShorterThanTheRunExitsTwoUnlessTheRestIsGivenAnOrder() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard", "--replay", "A")).isEqualTo(2);
        assertThat(console.err()).isEqualTo("lockstep: --replay does not describe this run: schedule too short: it ends after 1 decision, "
                + "but at step 1 A, B could still move (give the missing steps, or --replay-rest ORDER)\n");
        assertThat(console.out()).contains("\nreplay: A\n");

        console.reset();
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard", "--replay", "A",
                "--replay-rest", "declaration-order")).isZero();
        assertThat(console.out()).contains("replay(A) then declaration order: 1 runs, 0 failing, 0 invalid; {passed=1}")
                .contains("no invariant broke");
        assertThat(console.err()).isEmpty();
    }

    @Test
    void theReplayLineOfACounterexampleReplaysToTheSameReport() {
        for (String db : new String[] {"sqlite", postgres.jdbcUrl()}) {
            console.reset();
            assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard", "--db", db, "--mode", "random",
                    "--seed", "3")).as(db).isEqualTo(1);
            String found = console.out();
            assertThat(found).as("the shrinker made it another run than the one found").contains("\nshrunk from: ");
            String line = found.lines().filter(l -> l.startsWith("replay: ")).findFirst().orElseThrow().substring("replay: ".length());

            console.reset();
            assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard", "--db", db, "--replay", line))
                    .as(db).isEqualTo(1);

            assertThat(withoutProvenance(console.out())).as(db).isEqualTo(withoutProvenance(found));
        }
    }

    /**
     * A report without the lines that say how its run was found (explorer, seed, shrunk from), and without the clock
     * readings among the values read (lock-core's timestamps, epoch milliseconds): the rest is the run.
     */
    private static String withoutProvenance(String report) {
        return report.lines().filter(l -> !l.startsWith("explorer: ") && !l.startsWith("seed: ") && !l.startsWith("shrunk from: "))
                .map(l -> l.replaceAll("\\b\\d{13}\\b", "<clock>"))
                .collect(Collectors.joining("\n"));
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

    @Test
    void installPutsPrefixedTablesInTheGivenSchemaAndACoordinatorFindsThem() throws Exception {
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS cli_jobs");
        }
        for (int i = 0; i < 2; i++) {
            assertThat(Lockstep.run("install", "--db", postgres.jdbcUrl(), "--strategy", "running-at-creation",
                    "--table-prefix", "cli_", "--schema", "cli_jobs")).isZero();
        }
        assertThat(console.out()).contains("as cli_jobs.cli_*");
        try (Connection c = postgres.dataSource().getConnection();
             ResultSet rs = c.getMetaData().getTables(null, "cli_jobs", "%", new String[] {"TABLE"})) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
            assertThat(tables).containsExactlyInAnyOrder("cli_run", "cli_lease");
        }
        Coordinator runs = Coordinator.create(postgres.dataSource(), Coordinator.Options.of(Strategy.RUNNING_AT_CREATION)
                .withTables(TableNames.prefix("cli_").inSchema("cli_jobs")));
        Claim claim = runs.begin("cli/key", "build", "me");
        assertThat(runs.activeRun("cli/key")).map(Run::id).contains(claim.runId());
        runs.complete(claim);
    }

    @Test
    void benchPrintsCleanCsvWithARowPerCellAndNoViolationForASafeSubjectOnSqliteAndPostgres() throws Exception {
        for (String db : List.of("sqlite", postgres.jdbcUrl())) {
            console.reset();
            assertThat(Lockstep.run("bench", "--quick", "--format", "csv", "--threads", "2", "--keys", "1",
                    "--duration", "200ms", "--warmup", "0ms", "--db", db)).as(db).isZero();

            List<String> lines = console.out().lines().toList();
            assertThat(lines.get(0)).isEqualTo(CSV_HEADER);
            List<String[]> rows = lines.subList(1, lines.size()).stream().map(line -> line.split(",")).toList();
            assertThat(rows).extracting(row -> row[0])
                    .containsExactly(Arrays.stream(Subject.values()).map(Subject::label).toArray(String[]::new));
            for (String[] row : rows) {
                assertThat(row).as(String.join(",", row)).hasSize(14);
                assertThat(row[2] + " threads, " + row[3] + " key").isEqualTo("2 threads, 1 key");
                assertThat(Long.parseLong(row[6])).as("claims of " + row[0]).isPositive();
                if (row[1].equals("safe")) {
                    assertThat(row[9]).as("violations of " + row[0] + " on " + db).isEqualTo("0");
                }
            }
        }
        try (Connection c = postgres.dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'lockstep_scratch_%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("scratch schemas left behind").isZero();
        }
        assertThat(console.err()).as("a short run has no progress bar").isEmpty();
    }

    @Test
    void benchWritesAPngChartAndEndsTheTableWithTheRecommendation(@TempDir Path dir) throws Exception {
        Path chart = dir.resolve("bench.png");
        assertThat(Lockstep.run("bench", "--strategies", "advisory-lock", "--threads", "1", "--keys", "1",
                "--duration", "100ms", "--warmup", "0ms", "--chart", chart.toString())).isZero();

        byte[] png = Files.readAllBytes(chart);
        assertThat(Arrays.copyOf(png, 8)).as("the PNG signature").containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n');
        String printed = console.out();
        assertThat(printed).startsWith("bench on SQLite ").contains("3 cells, 100 ms each in 4 turns after 0 ms of warm-up, each claim held 100us, seed 42")
                .contains("subject        safe  threads  keys  claims/s")
                .contains("Recommended: advisory-lock. Safe: 0 violations in 1 cell. It is the only safe strategy");
        assertThat(console.err()).isEqualTo("chart: " + chart + System.lineSeparator());
    }

    @Test
    void soakRefusesBadOptionsWithExitTwoBeforeCreatingAnything() throws Exception {
        String db = postgres.jdbcUrl();
        assertThat(Lockstep.run("soak", "--strategy", "lease", "--threads", "0", "--db", db)).isEqualTo(2);
        assertThat(Lockstep.run("soak", "--strategy", "lease", "--keys", "100001", "--db", db)).isEqualTo(2);
        assertThat(Lockstep.run("soak", "--strategy", "lease", "--stale-after", "50ms", "--db", db)).isEqualTo(2);
        assertThat(Lockstep.run("soak", "--strategy", "no-such-strategy", "--db", db)).isEqualTo(2);
        assertThat(Lockstep.run("soak", "--strategy", "lease", "--duration", "3h", "--db", db)).isEqualTo(2);
        assertThat(Lockstep.run("soak", "--db", db)).isEqualTo(2);

        assertThat(console.err().lines().toList()).containsExactly(
                "lockstep: --threads must be between 1 and 256, was 0 (--verbose for details)",
                "lockstep: --keys must be between 1 and 100000, was 100001 (--verbose for details)",
                "lockstep: --stale-after must be at least 100 ms, was PT0.05S (--verbose for details)",
                "lockstep: unknown strategy 'no-such-strategy'; known: naive-guard, pending-guard, running-at-creation, advisory-lock, lease (--verbose for details)",
                "lockstep: Invalid value for option '--duration': '3h' is not a duration; write a whole number and us, ms, s or m, e.g. 500ms or 2s (see lockstep soak --help)",
                "lockstep: Missing required option: '--strategy=<strategy>' (see lockstep soak --help)");
        assertThat(console.out()).isEmpty();
        assertThat(scratchSchemas()).as("scratch schemas created").isZero();
    }

    @Test
    void aShortSoakOfASafeStrategyExitsZeroAndTheNaiveGuardsExitsOneOnSqliteAndPostgres() throws Exception {
        for (String db : List.of("sqlite", postgres.jdbcUrl())) {
            console.reset();
            assertThat(Lockstep.run("soak", "--strategy", "running-at-creation", "--duration", "2s", "--threads", "4", "--keys", "4",
                    "--stale-after", "300ms", "--db", db)).as(console.out()).isZero();
            assertThat(console.out()).as(db).startsWith("soaking running-at-creation in ").contains("\nsoak: running-at-creation on ")
                    .contains("4 threads x 4 keys").contains("\nunexpected exceptions: 0\n").endsWith("\npassed: no violation, no orphan, no unexpected exception\n");

            console.reset();
            assertThat(Lockstep.run("soak", "--strategy", "naive-guard", "--duration", "3s", "--keys", "1", "--db", db))
                    .as(console.out()).isEqualTo(1);
            assertThat(console.out()).as(db).containsPattern("\nFAILED: .*(overlapping executions|violating rows sampled)");
        }
        assertThat(scratchSchemas()).as("scratch schemas left behind").isZero();
        assertThat(console.err()).isEmpty();
    }

    private int scratchSchemas() throws SQLException {
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'lockstep_scratch_%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aSqliteScratchFileHasTheSameSettingsByUrlAndByDataSourceAndIsDeletedOnClose() throws SQLException {
        Path file;
        try (Target target = Target.scratch("sqlite", new Interruption(Thread.currentThread(), System.err))) {
            assertThat(target.jdbcUrl()).startsWith("jdbc:sqlite:").endsWith("/scratch.db?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000");
            file = Path.of(target.jdbcUrl().substring("jdbc:sqlite:".length(), target.jdbcUrl().indexOf('?')));
            try (Connection c = target.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE seen (id INTEGER)");
                assertThat(settings(c)).isEqualTo("wal 1 5000");
            }
            try (Connection c = DriverManager.getConnection(target.jdbcUrl())) {
                assertThat(settings(c)).isEqualTo("wal 1 5000");
                assertThat(c.getMetaData().getTables(null, null, "seen", null).next()).as("the same file").isTrue();
            }
            assertThat(target.description()).isEqualTo("SQLite (scratch file " + file + ")");
        }
        assertThat(Files.exists(file)).isFalse();
        assertThat(Files.exists(file.getParent())).isFalse();
    }

    @Test
    void aPostgresScratchSchemaIsCurrentByUrlAndByDataSourceAndIsDroppedOnClose() throws SQLException {
        String schema;
        try (Target target = Target.scratch(postgres.jdbcUrl(), new Interruption(Thread.currentThread(), System.err))) {
            assertThat(target.jdbcUrl()).startsWith(postgres.jdbcUrl()).contains("currentSchema=lockstep_scratch_");
            try (Connection c = target.dataSource().getConnection(); Statement s = c.createStatement()) {
                schema = value(s, "SELECT current_schema()");
                s.execute("CREATE TABLE seen (id INTEGER)");
            }
            assertThat(schema).matches("lockstep_scratch_[0-9a-f]{12}");
            try (Connection c = DriverManager.getConnection(target.jdbcUrl()); Statement s = c.createStatement()) {
                assertThat(value(s, "SELECT current_schema()")).isEqualTo(schema);
                assertThat(value(s, "SELECT count(*) FROM seen")).as("the same schema").isEqualTo("0");
            }
            assertThat(target.description()).startsWith("PostgreSQL (scratch schema " + schema + " in jdbc:postgresql:");
        }
        try (Connection c = postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThat(value(s, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + schema + "'"))
                    .isEqualTo("0");
        }
    }

    private static String settings(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            return value(s, "PRAGMA journal_mode") + " " + value(s, "PRAGMA synchronous") + " " + value(s, "PRAGMA busy_timeout");
        }
    }

    private static String value(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
