package dev.lockstep.cli;

import dev.lockstep.bench.Benchmark;
import dev.lockstep.bench.BenchmarkResult;
import dev.lockstep.bench.Subject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lockstep bench}: what each strategy costs, strategies x threads x keys, beside raw JDBC running the
 * same SQL and ShedLock locking the same keys, measured by the bench module's {@link Benchmark} in a scratch
 * place. Ends with the strategy to pick and why.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure what each strategy costs per threads x keys: claims/s, p50/p99/p99.9 latency, rejections, "
                + "errors and violations (0 for every safe strategy), beside raw JDBC running the same SQL and ShedLock "
                + "locking the same keys; then the strategy to pick and why (safety first, then claims/s and p99).",
                "Works in a scratch SQLite file, PostgreSQL schema or MariaDB database; your tables are never touched. "
                + "A progress bar goes to stderr on runs longer than a few seconds; stdout has only the --format output."})
final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    Lockstep root;

    enum Format { table, csv, json }

    @Option(names = "--db", defaultValue = "sqlite", paramLabel = "DB",
            description = "sqlite (default; any jdbc:sqlite: URL also gets a new scratch file), jdbc:postgresql://HOST:PORT/DATABASE?user=USER "
                    + "or jdbc:mariadb://HOST:PORT/DATABASE?user=USER")
    String db;

    @Option(names = "--strategies", split = ",", paramLabel = "STRATEGY",
            description = "comma-separated, default all: naive-guard, pending-guard, running-at-creation, advisory-lock, lease; "
                    + "the references raw-jdbc and shedlock are always measured beside them")
    List<String> strategies;

    @Option(names = "--threads", split = ",", paramLabel = "N", description = "thread counts, default 1,4,8 (--quick: 1,4)")
    List<Integer> threads;

    @Option(names = "--keys", split = ",", paramLabel = "N", description = "key counts, default 1,1000")
    List<Integer> keys;

    @Option(names = "--duration", converter = DurationOption.class, paramLabel = "TIME",
            description = "measured time per cell, e.g. 2s or 500ms; default 2s (--quick: 500ms)")
    Duration duration;

    @Option(names = "--warmup", converter = DurationOption.class, paramLabel = "TIME",
            description = "unmeasured run before each cell, 0ms for none; default 500ms (--quick: 200ms)")
    Duration warmup;

    @Option(names = "--turns", paramLabel = "N",
            description = "turns the subjects of one threads x keys level take, each measured for its share of --duration, "
                    + "forwards then backwards; even, default 4. More, shorter turns spread a busy machine's drift "
                    + "evenly over the subjects, e.g. --duration 60s --turns 60")
    Integer turns;

    @Option(names = "--work", converter = DurationOption.class, paramLabel = "TIME",
            description = "how long each claim is held, parked, as work that waits on I/O: 0us to 1s, default 100us. "
                    + "0us measures the claim cycle alone, but then an unsafe strategy's overlaps are rarely seen")
    Duration work;

    @Option(names = "--seed", description = "seeds the workers' key choices; default 42")
    Long seed;

    @Option(names = "--quick", description = "a short run: 1 and 4 threads, 500ms per cell after 200ms of warm-up")
    boolean quick;

    @Option(names = "--format", defaultValue = "table", description = "what stdout gets: table (default, with the recommendation), csv or json")
    Format format;

    @Option(names = "--chart", paramLabel = "FILE.png", description = "also write a bar chart of claims/s, one bar per strategy, to this PNG file")
    Path chart;

    @Override
    public Integer call() {
        Benchmark.Options options = options();
        Path png = chart == null ? null : chart.toAbsolutePath();
        if (png != null && !Files.isDirectory(png.getParent())) {
            throw new CommandFailure("--chart " + chart + ": there is no directory " + png.getParent());
        }
        try (Target target = Target.scratch(db, root.interruption())) {
            BenchmarkResult result = run(target, options);
            switch (format) {
                case csv -> System.out.print(result.csv());
                case json -> System.out.print(result.json());
                case table -> {
                    System.out.println("bench on " + result.database() + ", " + target.description() + ": "
                            + options.cellCount() + " cells, " + options.duration().toMillis() + " ms each in " + options.turns()
                            + " turns after " + options.warmup().toMillis() + " ms of warm-up, each claim held "
                            + DurationOption.format(options.work()) + ", seed " + options.seed() + "\n");
                    System.out.println(result.table());
                    System.out.println(result.recommendation().explanation());
                }
            }
            System.out.flush();
            if (png != null) {
                try {
                    result.writeChart(png);
                } catch (IOException e) {
                    throw new CommandFailure("cannot write the chart to " + png + ": " + e.getMessage());
                }
                System.err.println("chart: " + png);
            }
            return 0;
        }
    }

    /**
     * Runs the benchmark in {@code target}, with a progress bar on stderr when it is long; a database the
     * benchmark cannot reach or install into is a {@link CommandFailure}.
     */
    static BenchmarkResult run(Target target, Benchmark.Options options) {
        try {
            return Benchmark.on(target.jdbcUrl(), options).run(ProgressBar.forRun(options, System.err, System::nanoTime));
        } catch (IllegalStateException e) {
            throw new CommandFailure(e.getMessage().lines().findFirst().orElse("the benchmark failed"));
        }
    }

    /** The options asked for, on top of --quick's or the full run's; contradictions are the engine's to refuse. */
    Benchmark.Options options() {
        Benchmark.Options options = quick ? Benchmark.Options.quick() : Benchmark.Options.defaults();
        try {
            options = options.withSubjects(subjects().toArray(Subject[]::new));
            if (threads != null) {
                options = options.withThreads(threads.toArray(Integer[]::new));
            }
            if (keys != null) {
                options = options.withKeys(keys.toArray(Integer[]::new));
            }
            if (turns != null) {
                // before the duration, which must give every turn at least 1 ms of the new count
                options = options.withTurns(turns);
            }
            if (duration != null) {
                options = options.withDuration(duration);
            }
            if (warmup != null) {
                options = options.withWarmup(warmup);
            }
            if (work != null) {
                options = options.withWork(work);
            }
            if (seed != null) {
                options = options.withSeed(seed);
            }
            return options;
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    /** The strategies asked for, in the order given, then the references not already among them. */
    private List<Subject> subjects() {
        List<Subject> chosen = new ArrayList<>();
        if (strategies == null) {
            chosen.addAll(List.of(Subject.strategies()));
        } else {
            for (String label : strategies) {
                try {
                    chosen.add(Subject.fromLabel(label.strip()));
                } catch (IllegalArgumentException e) {
                    throw new CommandFailure("--strategies: " + e.getMessage());
                }
            }
        }
        for (Subject subject : Subject.values()) {
            if (subject.isReference() && !chosen.contains(subject)) {
                chosen.add(subject);
            }
        }
        return chosen;
    }
}
