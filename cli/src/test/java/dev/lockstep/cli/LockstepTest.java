package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.bench.Benchmark;
import dev.lockstep.bench.BenchmarkResult;
import dev.lockstep.bench.CellResult;
import dev.lockstep.bench.Progress;
import dev.lockstep.bench.Recommendation;
import dev.lockstep.bench.Subject;
import dev.lockstep.core.Strategy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command's own behaviour, without a database: exit codes and one-line errors. */
class LockstepTest {

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void everySubcommandHasHelp() {
        for (String command : new String[] {"demo", "race", "bench", "schema", "install"}) {
            assertThat(Lockstep.run(command, "--help")).as(command).isZero();
        }
        assertThat(console.out()).contains("Usage: lockstep demo").contains("Usage: lockstep race")
                .contains("--scenario").contains("--replay-rest=ORDER").contains("Usage: lockstep bench").contains("--strategies").contains("--chart=FILE.png")
                .contains("Usage: lockstep install");
    }

    @Test
    void versionIsTheOneBeingBuilt() {
        assertThat(Lockstep.run("--version")).isZero();
        assertThat(System.getProperty("lockstep.builtVersion")).as("set by the build").isNotBlank();
        assertThat(console.out()).isEqualTo("lockstep " + System.getProperty("lockstep.builtVersion") + System.lineSeparator());
    }

    @Test
    void schemaPrintsTheShippedDdl() {
        assertThat(Lockstep.run("schema", "--db", "postgresql", "--strategy", "running-at-creation")).isZero();
        assertThat(console.out())
                .contains("CREATE TABLE IF NOT EXISTS lockstep_run").contains("lockstep_run_one_active_per_key");
    }

    @Test
    void schemaPrintsTheDdlForAConfiguredPrefixAndSchema() {
        assertThat(Lockstep.run("schema", "--db", "postgresql", "--strategy", "running-at-creation",
                "--table-prefix", "svc_", "--schema", "jobs")).isZero();
        assertThat(console.out())
                .contains("CREATE TABLE IF NOT EXISTS jobs.svc_run (", "CREATE TABLE IF NOT EXISTS jobs.svc_lease (",
                        "CREATE INDEX IF NOT EXISTS svc_run_key_status ON jobs.svc_run (run_key, status)",
                        "CREATE UNIQUE INDEX IF NOT EXISTS svc_run_one_active_per_key ON jobs.svc_run (run_key)",
                        "CONSTRAINT svc_run_status CHECK")
                .doesNotContain("lockstep_run", "lockstep_lease");
    }

    @Test
    void tableNamesThatCannotBeHonouredAreRefusedWithExitCodeTwo(@TempDir Path scratch) {
        assertThat(Lockstep.run("schema", "--db", "postgresql", "--table-prefix", "Svc-")).isEqualTo(2);
        assertThat(Lockstep.run("schema", "--db", "sqlite", "--schema", "jobs")).isEqualTo(2);
        Path file = scratch.resolve("never-created.db");
        assertThat(Lockstep.run("install", "--db", "jdbc:sqlite:" + file, "--schema", "jobs")).isEqualTo(2);
        assertThat(file).as("refused before the database was opened").doesNotExist();
        assertThat(console.out()).isEmpty();
        assertThat(console.err().lines()).containsExactly(
                "lockstep: table prefix 'Svc-' is not 1 to 40 lower-case ASCII letters, digits and '_', starting with a letter or '_' (--verbose for details)",
                "lockstep: SQLite has no schemas, so its tables cannot be put in schema 'jobs': leave the schema unset"
                        + " (a separate database file plays that part), or tell tables apart by their prefix (--verbose for details)",
                "lockstep: SQLite has no schemas, so its tables cannot be put in schema 'jobs': leave the schema unset"
                        + " (a separate database file plays that part), or tell tables apart by their prefix (--verbose for details)");
    }

    @Test
    void badInputIsOneLineAndExitCodeTwoWithoutAStackTrace() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "mutex")).isEqualTo(2);
        assertThat(Lockstep.run("race", "--scenario", "nope", "--strategy", "lease")).isEqualTo(2);
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "lease", "--db", "mysql://x")).isEqualTo(2);
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "lease", "--mode", "replay")).isEqualTo(2);
        assertThat(Lockstep.run("schema", "--db", "oracle")).isEqualTo(2);
        assertThat(Lockstep.run("race", "--strategy", "lease")).as("missing --scenario").isEqualTo(2);

        String errors = console.err();
        assertThat(errors).contains("lockstep: unknown strategy 'mutex'; known: naive-guard")
                .contains("lockstep: unknown scenario 'nope'; known: start-start")
                .contains("lockstep: unknown database 'mysql://x'")
                .contains("--mode replay needs --replay")
                .contains("Missing required option: '--scenario");
        assertThat(errors).doesNotContain("\tat ");
    }

    @Test
    void aMysqlUrlIsOneLineSayingWhatIsSupportedAndExitCodeTwo() {
        String mysql = "jdbc:mysql://127.0.0.1:3306/app?user=app&password=secret";
        String said = "lockstep: MySQL is not supported yet; lockstep runs on SQLite (sqlite, jdbc:sqlite:FILE), PostgreSQL "
                + "(jdbc:postgresql://HOST:PORT/DATABASE?user=USER) and MariaDB 10.6 or later "
                + "(jdbc:mariadb://HOST:PORT/DATABASE?user=USER) (--verbose for details)";

        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "lease", "--db", mysql)).isEqualTo(2);
        assertThat(Lockstep.run("demo", "--db", mysql)).isEqualTo(2);
        assertThat(Lockstep.run("bench", "--db", mysql)).isEqualTo(2);
        assertThat(Lockstep.run("soak", "--strategy", "lease", "--db", mysql)).isEqualTo(2);
        assertThat(Lockstep.run("install", "--db", mysql)).isEqualTo(2);
        assertThat(Lockstep.run("schema", "--db", "mysql")).isEqualTo(2);

        assertThat(console.err().lines().toList()).hasSize(6).containsOnly(said);
        assertThat(console.out()).isEmpty();
    }

    @Test
    void replayOptionsThatContradictEachOtherAreAUsageErrorBeforeTouchingADatabase() {
        String[] race = {"race", "--scenario", "start-start", "--strategy", "naive-guard", "--db", "jdbc:postgresql://127.0.0.1:1/x?user=postgres"};

        assertThat(Lockstep.run(concat(race, "--mode", "exhaustive", "--replay", "A A B"))).isEqualTo(2);
        assertThat(Lockstep.run(concat(race, "--mode", "random", "--replay", "A A B"))).isEqualTo(2);
        assertThat(Lockstep.run(concat(race, "--replay-rest", "declaration-order"))).isEqualTo(2);
        assertThat(Lockstep.run(concat(race, "--replay", "A", "--replay-rest", "sideways"))).isEqualTo(2);

        assertThat(console.err()).isEqualTo(String.join("\n",
                "lockstep: --replay replays one schedule, --mode exhaustive explores many: give one of them (--verbose for details)",
                "lockstep: --replay replays one schedule, --mode random explores many: give one of them (--verbose for details)",
                "lockstep: --replay-rest says what moves after a --replay schedule, and there is none (--verbose for details)",
                "lockstep: unknown --replay-rest 'sideways'; known: declaration-order, without-preemption (--verbose for details)", ""));
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void anUnreachableDatabaseIsOneLineAndExitCodeTwo() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "lease",
                "--db", "jdbc:postgresql://127.0.0.1:1/x?user=postgres")).isEqualTo(2);
        assertThat(console.err()).contains("lockstep: cannot use jdbc:postgresql://127.0.0.1:1/x?user=postgres")
                .doesNotContain("\tat ");
    }

    @Test
    void passwordsNeverAppearInMessages() {
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "lease",
                "--db", "jdbc:postgresql://127.0.0.1:1/x?user=postgres&password=hunter2")).isEqualTo(2);
        assertThat(Lockstep.run("soak", "--strategy", "lease", "--db", "jdbc:mariadb://127.0.0.1:1/x?user=u&password=hunter2"))
                .isEqualTo(2);
        assertThat(Lockstep.run("bench", "--db", "jdbc:oracle:thin:@h:1521/x?user=u&password=hunter2")).isEqualTo(2);
        assertThat(console.err())
                .contains("lockstep: cannot use jdbc:postgresql://127.0.0.1:1/x?user=postgres&password=***: ")
                .contains("lockstep: cannot use jdbc:mariadb://127.0.0.1:1/x?user=u&password=***: ")
                .contains("lockstep: unknown database 'jdbc:oracle:thin:@h:1521/x?user=u&password=***'")
                .doesNotContain("hunter2");
    }

    @Test
    void benchRefusesBadInputWithOneLineAndExitCodeTwoBeforeTouchingADatabase() {
        assertThat(benchError("--strategies", "advisory-lock,mutex")).isEqualTo("lockstep: --strategies: unknown strategy 'mutex'; "
                + "known: " + String.join(", ", Arrays.stream(Subject.values()).map(Subject::label).toList()));
        assertThat(benchError("--strategies", "lease,lease")).isEqualTo("lockstep: subjects lists lease twice");
        assertThat(benchError("--duration", "2x")).isEqualTo("lockstep: Invalid value for option '--duration': "
                + "'2x' is not a duration; write a whole number and us, ms, s or m, e.g. 500ms or 2s (see lockstep bench --help)");
        assertThat(benchError("--duration", "0ms")).isEqualTo("lockstep: duration must be at least 1 ms, was PT0S");
        assertThat(benchError("--threads", "1,0")).isEqualTo("lockstep: threads must be between 1 and 256, was 0");
        assertThat(benchError("--turns", "3")).isEqualTo("lockstep: turns must be even and between 2 and 1000, was 3");
        assertThat(benchError("--turns", "0")).isEqualTo("lockstep: turns must be even and between 2 and 1000, was 0");
        assertThat(benchError("--quick", "--turns", "1000"))
                .isEqualTo("lockstep: duration must be at least 1 ms per turn, was PT0.5S for 1000 turns");
        assertThat(benchError("--work", "2s")).isEqualTo("lockstep: work must be between 0 and 1 s, was PT2S");
        assertThat(benchError("--work", "-1ms")).isEqualTo("lockstep: Invalid value for option '--work': "
                + "'-1ms' is not a duration; write a whole number and us, ms, s or m, e.g. 500ms or 2s (see lockstep bench --help)");
        assertThat(benchError("--threads", "four"))
                .isEqualTo("lockstep: Invalid value for option '--threads' (N): 'four' is not an int (see lockstep bench --help)");
        assertThat(benchError("--format", "xml")).startsWith("lockstep: Invalid value for option '--format': expected one of [table, csv, json]");
        assertThat(benchError("--db", "mysql://x")).startsWith("lockstep: unknown database 'mysql://x'");
        assertThat(benchError("--chart", "/no/such/directory/bench.png"))
                .isEqualTo("lockstep: --chart /no/such/directory/bench.png: there is no directory /no/such/directory");
        assertThat(benchError("--db", "jdbc:postgresql://127.0.0.1:1/x?user=postgres"))
                .startsWith("lockstep: cannot use jdbc:postgresql://127.0.0.1:1/x?user=postgres: ");
    }

    /** Runs bench with {@code args}, expects exit code 2, and returns what it printed on stderr: one line. */
    private String benchError(String... args) {
        console.reset();
        String[] command = new String[args.length + 1];
        command[0] = "bench";
        System.arraycopy(args, 0, command, 1, args.length);
        assertThat(Lockstep.run(command)).as(String.join(" ", command)).isEqualTo(2);
        String printed = console.err();
        assertThat(printed.lines()).as(printed).hasSize(1);
        assertThat(console.out()).as("nothing on stdout").isEmpty();
        return printed.strip().replace(" (--verbose for details)", "");
    }

    @Test
    void benchBuildsOnTheFullRunOrOnQuickAndAlwaysMeasuresTheReferences() {
        BenchCommand full = parse();
        assertThat(full.options()).isEqualTo(Benchmark.Options.defaults());

        Benchmark.Options quick = parse("--quick", "--strategies", "lease, advisory-lock", "--threads", "2", "--seed", "7").options();
        assertThat(quick.subjects()).containsExactly(Subject.LEASE, Subject.ADVISORY_LOCK, Subject.RAW_JDBC, Subject.SHEDLOCK);
        assertThat(quick.threads()).containsExactly(2);
        assertThat(quick.keys()).isEqualTo(Benchmark.Options.quick().keys());
        assertThat(quick.duration()).isEqualTo(Benchmark.Options.quick().duration());
        assertThat(quick.warmup()).isEqualTo(Benchmark.Options.quick().warmup());
        assertThat(quick.seed()).isEqualTo(7);

        Benchmark.Options given = parse("--strategies", "shedlock,naive-guard", "--keys", "1,10", "--duration", "250ms",
                "--warmup", "0ms").options();
        assertThat(given.subjects()).containsExactly(Subject.SHEDLOCK, Subject.NAIVE_GUARD, Subject.RAW_JDBC);
        assertThat(given.keys()).containsExactly(1, 10);
        assertThat(given.duration()).isEqualTo(Duration.ofMillis(250));
        assertThat(given.warmup()).isZero();
        assertThat(given.turns()).isEqualTo(Benchmark.Options.DEFAULT_TURNS);
        assertThat(given.work()).isEqualTo(Benchmark.Options.DEFAULT_WORK);
        assertThat(parse("--work", "0us").options().work()).isZero();
        assertThat(parse("--work", "250us").options().work()).isEqualTo(Duration.ofNanos(250_000));

        // the turns are applied first, so a duration just long enough for them is taken whatever the order given
        Benchmark.Options fine = parse("--duration", "6ms", "--turns", "6", "--threads", "8", "--keys", "1").options();
        assertThat(fine.turns()).isEqualTo(6);
        assertThat(fine.duration()).isEqualTo(Duration.ofMillis(6));
    }

    private static BenchCommand parse(String... args) {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void durationsAreAWholeNumberAndAUnit() {
        assertThat(DurationOption.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationOption.parse(" 2S ")).isEqualTo(Duration.ofSeconds(2));
        assertThat(DurationOption.parse("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(DurationOption.parse("0ms")).isZero();
        assertThat(DurationOption.parse("100us")).isEqualTo(Duration.ofNanos(100_000));
        assertThat(DurationOption.format(Duration.ofNanos(100_000))).isEqualTo("100us");
        assertThat(DurationOption.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(DurationOption.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(DurationOption.format(Duration.ofMinutes(3))).isEqualTo("3m");
        assertThat(DurationOption.format(Duration.ZERO)).isEqualTo("0ms");
        for (String bad : new String[] {"2", "1.5s", "-1s", "2 h", ""}) {
            assertThatThrownBy(() -> DurationOption.parse(bad)).as(bad).isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessage("'" + bad + "' is not a duration; write a whole number and us, ms, s or m, e.g. 500ms or 2s");
        }
    }

    @Test
    void theProgressBarIsRedrawnInPlaceOnStderrAndEndsWithANewLine() {
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(bar, true, StandardCharsets.UTF_8);
        long[] now = {0};
        Benchmark.Options twoCells = Benchmark.Options.quick().withSubjects(Subject.LEASE, Subject.RAW_JDBC).withThreads(4)
                .withKeys(1000).withDuration(Duration.ofSeconds(2)).withWarmup(Duration.ZERO);
        Consumer<Progress> progress = ProgressBar.forRun(twoCells, stream, () -> now[0]);

        now[0] = 2_400_000_000L;
        progress.accept(new Progress(1, 2, cell(Subject.RUNNING_AT_CREATION)));
        now[0] = 5_000_000_000L;
        progress.accept(new Progress(2, 2, cell(Subject.RAW_JDBC)));

        assertThat(bar.toString(StandardCharsets.UTF_8)).isEqualTo(
                "\rbench [###############               ] 1/2 cells, ~2 s left (last: running-at-creation, threads 4, keys 1,000)"
                + "\rbench [##############################] 2/2 cells, done in 5 s (last: raw-jdbc, threads 4, keys 1,000)" + " ".repeat(9)
                + System.lineSeparator());
    }

    @Test
    void aRunShorterThanAFewSecondsHasNoProgressBar() {
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        Benchmark.Options brief = Benchmark.Options.quick().withSubjects(Subject.LEASE).withThreads(4).withKeys(1)
                .withDuration(Duration.ofMillis(2_000)).withWarmup(Duration.ofMillis(999));
        ProgressBar.forRun(brief, new PrintStream(bar, true, StandardCharsets.UTF_8), () -> 0).accept(new Progress(1, 1, cell(Subject.LEASE)));
        assertThat(bar.size()).isZero();
    }

    private static CellResult cell(Subject subject) {
        return new CellResult(subject, 4, 1000, Duration.ofSeconds(2), 110, 100, 10, 0, 0, 500, 900, 1_200, Map.of());
    }

    @Test
    void demoEndsWithTheBenchmarksPickAmongTheStrategiesThatSurvivedEverySchedule() {
        List<CellResult> cells = List.of(
                new CellResult(Subject.ADVISORY_LOCK, 4, 1, Duration.ofSeconds(1), 1_250, 1_240, 10, 0, 0, 500, 2_100, 3_000, Map.of()),
                new CellResult(Subject.RAW_JDBC, 4, 1, Duration.ofSeconds(1), 1_343, 1_333, 10, 0, 0, 500, 1_900, 3_000, Map.of()),
                new CellResult(Subject.SHEDLOCK, 4, 1, Duration.ofSeconds(1), 785, 775, 10, 0, 0, 500, 4_000, 6_000, Map.of()));
        BenchmarkResult bench = new BenchmarkResult("SQLite 3.50.3", DemoCommand.BENCHMARK, cells,
                new Recommendation(Optional.of(Subject.ADVISORY_LOCK), "Recommended: advisory-lock."));
        List<Strategy> survivors = List.of(Strategy.RUNNING_AT_CREATION, Strategy.ADVISORY_LOCK);
        List<Strategy> broken = List.of(Strategy.UNSAFE_NAIVE_GUARD);

        assertThat(DemoCommand.recommendation(survivors, broken, bench)).isEqualTo("recommendation: advisory-lock. "
                + "Of the strategies that survived every start-start schedule (running-at-creation, advisory-lock; naive-guard broke), "
                + "the benchmark recommends advisory-lock: 1,240 claims/s at 4 threads x 1 key (0.93x raw JDBC, 1.60x ShedLock), "
                + "p99 2.1 ms. Never the naive guard.");
        assertThat(DemoCommand.recommendation(List.of(Strategy.RUNNING_AT_CREATION), broken, bench))
                .as("the benchmark's pick did not survive the race here").isEqualTo("recommendation: none here. "
                + "Survived every start-start schedule: running-at-creation (naive-guard broke); the short benchmark recommended "
                + "none of them (lockstep bench says why). Never the naive guard.");
        assertThat(DemoCommand.recommendation(List.of(), List.of(Strategy.values()), bench)).isEqualTo("recommendation: none here. "
                + "No strategy survived every start-start schedule (naive-guard, pending-guard, running-at-creation, advisory-lock, "
                + "lease broke). Never the naive guard.");
    }
}
