package dev.lockstep.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A quick benchmark from the shell, until the {@code lockstep bench} command arrives: on a new SQLite
 * file, and also on PostgreSQL when {@code --db jdbc:postgresql://...} is given. Prints the table and the
 * recommendation for each database; with {@code --out DIR} also writes CSV, JSON and the PNG chart there.
 *
 * <pre>
 * ./mvnw -q -pl bench -am test-compile exec:java -Dexec.mainClass=dev.lockstep.bench.BenchMain \
 *     -Dexec.args="--db jdbc:postgresql://localhost/bench?user=me --threads 1,4,8 --keys 1,1000 --duration-ms 1000"
 * </pre>
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws IOException {
        // HikariCP logs each pool's start and stop at INFO; one pool per cell would drown the table
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        List<String> urls = new ArrayList<>();
        Benchmark.Options options = Benchmark.Options.quick();
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--db" -> urls.add(required(args[i], value));
                case "--threads" -> options = options.withThreads(integers(args[i], value));
                case "--keys" -> options = options.withKeys(integers(args[i], value));
                case "--duration-ms" -> options = options.withDuration(Duration.ofMillis(integers(args[i], value)[0]));
                case "--warmup-ms" -> options = options.withWarmup(Duration.ofMillis(integers(args[i], value)[0]));
                case "--seed" -> options = options.withSeed(integers(args[i], value)[0]);
                case "--out" -> out = Path.of(required(args[i], value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --db URL, --threads 1,4, --keys 1,1000, --duration-ms N, --warmup-ms N, --seed N, --out DIR");
            }
            i++;
        }
        Path sqliteDirectory = Files.createTempDirectory("lockstep-bench-");
        try {
            String sqlite = "jdbc:sqlite:" + sqliteDirectory.resolve("bench.db")
                    + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000";
            run("sqlite", sqlite, options, out, System.out);
            for (String url : urls) {
                run(url.startsWith("jdbc:sqlite:") ? "sqlite-given" : "postgresql", url, options, out, System.out);
            }
        } finally {
            try (Stream<Path> files = Files.walk(sqliteDirectory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void run(String name, String url, Benchmark.Options options, Path out, PrintStream print)
            throws IOException {
        BenchmarkResult result = Benchmark.on(url, options).run(progress -> System.err.printf("\r%s %s %d/%d cells",
                name, bar(progress.fraction()), progress.cellsDone(), progress.cellsTotal()));
        System.err.println();
        print.println("== " + result.database() + " ==");
        print.println(result.table());
        print.println(result.recommendation().explanation());
        print.println();
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve(name + ".csv"), result.csv());
            Files.writeString(out.resolve(name + ".json"), result.json());
            result.writeChart(out.resolve(name + ".png"));
            print.println("wrote " + out.resolve(name + ".{csv,json,png}"));
        }
    }

    private static String bar(double fraction) {
        int filled = (int) Math.round(fraction * 30);
        return "[" + "#".repeat(filled) + " ".repeat(30 - filled) + "]";
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static Integer[] integers(String option, String value) {
        try {
            return Arrays.stream(required(option, value).split(",")).map(String::strip).map(Integer::valueOf)
                    .toArray(Integer[]::new);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes whole numbers separated by commas, was '" + value + "'", e);
        }
    }
}
