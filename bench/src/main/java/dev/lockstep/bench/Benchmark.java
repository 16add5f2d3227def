package dev.lockstep.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The entry point of the benchmark: what each strategy costs on one database, beside raw JDBC doing
 * the same SQL (the library's overhead) and ShedLock (the peer people use today).
 *
 * <pre>{@code
 * BenchmarkResult result = Benchmark.on("jdbc:postgresql://db/app?user=me", Benchmark.Options.quick())
 *         .run(progress -> System.err.printf("%d/%d%n", progress.cellsDone(), progress.cellsTotal()));
 * System.out.println(result.table());
 * System.out.println(result.recommendation().explanation());
 * result.writeChart(Path.of("bench.png"));
 * }</pre>
 *
 * <p>First each subject runs alone, one thread on 1,000 keys, for four per-cell warm-ups, and its figures
 * are dropped: the JIT compiles jOOQ's, the pool's and the driver's paths once, so the first cells
 * measure compiled code as the last ones do. Then for every contention level — one thread count and
 * one key count — it opens a HikariCP pool of exactly {@code threads} connections (reused, so
 * connection set-up does not dominate), and the subjects take turns in slices, forwards and backwards
 * (see {@link #run(Consumer)}). Each slice of a cell — one subject at that level —:
 * <ol>
 *   <li>drops the partial unique index unless the subject needs it (it would hide the naive guard's
 *       violations and help the other strategies), installs the subject's schema with
 *       {@code Schema.install} (and ShedLock's {@code shedlock} table), and empties the tables;
 *   <li>runs {@code threads} workers for its share of the warm-up, empties the tables again, then runs
 *       them for its share of {@code duration}. Each worker loops: pick a key uniformly (seeded),
 *       acquire it, on success enter the execution ledger (which counts a violation when two holders of
 *       one key are in it at once), leave it, release the key; the cycle's latency goes into the
 *       worker's HdrHistogram.
 * </ol>
 * The slices' histograms and counts are merged into the cell's {@link CellResult}.
 * Then {@link Recommendation} picks a strategy: safety first, then throughput and tail latency.
 *
 * <p>The database is reached by JDBC URL (credentials in the URL), SQLite or PostgreSQL. The benchmark
 * writes only its own tables ({@code lockstep_run}, {@code lockstep_lease}, {@code shedlock}), and
 * empties them: point it at a database of its own.
 */
public final class Benchmark {

    /**
     * What to measure, validated when made; each {@code withX} returns a new value.
     *
     * @param subjects what to measure, in report order
     * @param threads  the thread counts, each at least 1 and at most {@value #MAX_THREADS}
     * @param keys     the key counts, each at least 1 and at most {@value #MAX_KEYS}
     * @param duration how long each cell is measured, at least 1 ms
     * @param warmup   how long each cell runs before it is measured; zero for none
     * @param turns    how many turns the subjects of one contention level take, each measured for
     *                 {@code duration / turns} (see {@link Benchmark#run(Consumer)}): even, so that the
     *                 forward and the backward order are taken equally often, from 2 to {@value #MAX_TURNS}
     * @param work     how long a holder keeps the key it claimed, parked (as when the work waits on I/O),
     *                 the same for every subject: from zero, the claim cycle alone, to 1 s. While one holder
     *                 is parked the others run, so an unsafe subject's overlaps show; with zero they rarely do
     * @param seed     seeds the workers' key choices
     */
    public record Options(List<Subject> subjects, List<Integer> threads, List<Integer> keys, Duration duration,
            Duration warmup, int turns, Duration work, long seed) {

        public static final int MAX_THREADS = 256;
        public static final int MAX_KEYS = 1_000_000;
        public static final int MAX_TURNS = 1_000;
        /** The turns of the full run and of the quick one. */
        public static final int DEFAULT_TURNS = 4;
        /** The holder's work in the full run and the quick one. */
        public static final Duration DEFAULT_WORK = Duration.ofNanos(100_000);
        public static final Duration MAX_WORK = Duration.ofSeconds(1);

        public Options {
            subjects = distinct("subjects", subjects);
            threads = distinct("threads", threads);
            keys = distinct("keys", keys);
            for (int count : threads) {
                if (count < 1 || count > MAX_THREADS) {
                    throw new IllegalArgumentException("threads must be between 1 and " + MAX_THREADS + ", was " + count);
                }
            }
            for (int count : keys) {
                if (count < 1 || count > MAX_KEYS) {
                    throw new IllegalArgumentException("keys must be between 1 and " + MAX_KEYS + ", was " + count);
                }
            }
            Objects.requireNonNull(duration, "duration must not be null");
            Objects.requireNonNull(warmup, "warmup must not be null");
            if (duration.toMillis() < 1) {
                throw new IllegalArgumentException("duration must be at least 1 ms, was " + duration);
            }
            if (warmup.isNegative()) {
                throw new IllegalArgumentException("warmup must not be negative, was " + warmup);
            }
            if (turns < 2 || turns > MAX_TURNS || turns % 2 != 0) {
                throw new IllegalArgumentException("turns must be even and between 2 and " + MAX_TURNS + ", was " + turns);
            }
            Objects.requireNonNull(work, "work must not be null");
            if (work.isNegative() || work.compareTo(MAX_WORK) > 0) {
                throw new IllegalArgumentException("work must be between 0 and 1 s, was " + work);
            }
            if (duration.toMillis() < turns) {
                throw new IllegalArgumentException("duration must be at least 1 ms per turn, was " + duration + " for " + turns + " turns");
            }
        }

        /**
         * The full benchmark: every subject, 1/4/8 threads, 1 and 1,000 keys, 2 s per cell after 500 ms of
         * warm-up, in 4 turns, each claim held for 100 µs.
         */
        public static Options defaults() {
            return new Options(List.of(Subject.values()), List.of(1, 4, 8), List.of(1, 1000),
                    Duration.ofSeconds(2), Duration.ofMillis(500), DEFAULT_TURNS, DEFAULT_WORK, 42);
        }

        /** A short run: every subject, 1 and 4 threads, 1 and 1,000 keys, 500 ms per cell after 200 ms of warm-up, in 4 turns, 100 µs holds. */
        public static Options quick() {
            return new Options(List.of(Subject.values()), List.of(1, 4), List.of(1, 1000),
                    Duration.ofMillis(500), Duration.ofMillis(200), DEFAULT_TURNS, DEFAULT_WORK, 42);
        }

        public Options withSubjects(Subject... value) {
            return new Options(Arrays.asList(value), threads, keys, duration, warmup, turns, work, seed);
        }

        public Options withThreads(Integer... value) {
            return new Options(subjects, Arrays.asList(value), keys, duration, warmup, turns, work, seed);
        }

        public Options withKeys(Integer... value) {
            return new Options(subjects, threads, Arrays.asList(value), duration, warmup, turns, work, seed);
        }

        public Options withDuration(Duration value) {
            return new Options(subjects, threads, keys, value, warmup, turns, work, seed);
        }

        public Options withWarmup(Duration value) {
            return new Options(subjects, threads, keys, duration, value, turns, work, seed);
        }

        /**
         * More turns measure a cell in shorter, interleaved pieces: drift of a shared machine then falls
         * on every subject alike, at the cost of a set-up per turn (the subject's schema, the emptied tables).
         */
        public Options withTurns(int value) {
            return new Options(subjects, threads, keys, duration, warmup, value, work, seed);
        }

        /**
         * How long each holder keeps its key: the work between a claim and its release. Zero measures the claim
         * cycle alone; an unsafe subject's overlaps then mostly go unseen, as nobody is inside the window long.
         */
        public Options withWork(Duration value) {
            return new Options(subjects, threads, keys, duration, warmup, turns, value, seed);
        }

        public Options withSeed(long value) {
            return new Options(subjects, threads, keys, duration, warmup, turns, work, value);
        }

        /** How many cells: subjects x threads x keys. */
        public int cellCount() {
            return subjects.size() * threads.size() * keys.size();
        }

        private static <T> List<T> distinct(String name, List<T> values) {
            Objects.requireNonNull(values, name + " must not be null");
            if (values.isEmpty()) {
                throw new IllegalArgumentException(name + " must not be empty");
            }
            Set<T> seen = new HashSet<>();
            for (T value : values) {
                Objects.requireNonNull(value, name + " must not contain null");
                if (!seen.add(value)) {
                    throw new IllegalArgumentException(name + " lists " + value + " twice");
                }
            }
            return List.copyOf(values);
        }
    }

    /** Before the first cell each subject runs alone for this many per-cell warm-ups (none when the warm-up is zero). */
    private static final int JIT_WARMUPS = 4;
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    private final String jdbcUrl;
    private final Options options;
    private final LongSupplier nanoClock;
    private final Clock wallClock;

    private Benchmark(String jdbcUrl, Options options, LongSupplier nanoClock, Clock wallClock) {
        this.jdbcUrl = jdbcUrl;
        this.options = options;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
    }

    /** A benchmark of the database at {@code jdbcUrl}, timed by {@link System#nanoTime()} and the UTC clock. */
    public static Benchmark on(String jdbcUrl, Options options) {
        return on(jdbcUrl, options, System::nanoTime, Clock.systemUTC());
    }

    /**
     * As {@link #on(String, Options)}, with the clocks given.
     *
     * @param nanoClock times cycles and phases, in nanoseconds (as {@link System#nanoTime()})
     * @param wallClock stamps ShedLock's lock configurations, which need an instant
     */
    public static Benchmark on(String jdbcUrl, Options options, LongSupplier nanoClock, Clock wallClock) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null");
        Objects.requireNonNull(options, "options must not be null");
        Objects.requireNonNull(nanoClock, "nanoClock must not be null");
        Objects.requireNonNull(wallClock, "wallClock must not be null");
        requireSupported(jdbcUrl);
        return new Benchmark(jdbcUrl, options, nanoClock, wallClock);
    }

    /** Refuses a URL of a database the benchmark and the soak do not run on. */
    static void requireSupported(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:mariadb:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:sqlite:, jdbc:postgresql: or jdbc:mariadb:, was '"
                    + passwordFree(jdbcUrl) + "'");
        }
    }

    public Options options() {
        return options;
    }

    /**
     * A JDBC URL fit to print: the value of any {@code password} parameter replaced by {@code ***}. Every
     * message of the benchmark, and of the {@code lockstep} command, shows URLs through this.
     */
    public static String passwordFree(String jdbcUrl) {
        return PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
    }

    /** Runs every cell, without progress reports. */
    public BenchmarkResult run() {
        return run(progress -> { });
    }

    /**
     * Runs every cell: for each thread count and key count, the subjects take {@link Options#turns()}
     * turns (slices), each its share of the warm-up and of the duration, in the options' order and then in
     * reverse, and each subject's slices are added up. So every subject of
     * one contention level meets the same machine: on a shared machine the throughput drifts by 10-20%
     * within seconds, and measured one after the other the subject that ran first, or last, gained or
     * lost that much against the others (a ratio to raw JDBC ranged 0.73-1.13 by order alone).
     *
     * @param progress told after each cell
     * @throws IllegalStateException if the database cannot be reached or its schema installed
     */
    public BenchmarkResult run(Consumer<Progress> progress) {
        Objects.requireNonNull(progress, "progress must not be null");
        String database = describeDatabase();
        CellRunner runner = new CellRunner(nanoClock, wallClock);
        if (!options.warmup().isZero()) {
            try (HikariDataSource pool = pool(1)) {
                for (Subject subject : options.subjects()) {
                    runner.warmJit(pool, subject, options.warmup().multipliedBy(JIT_WARMUPS), options.work(), options.seed());
                }
            }
        }
        List<CellResult> cells = new ArrayList<>();
        int total = options.cellCount();
        for (int threads : options.threads()) {
            for (int keys : options.keys()) {
                Map<Subject, CellRunner.Slice> sums = new EnumMap<>(Subject.class);
                List<Subject> order = options.subjects();
                try (HikariDataSource pool = pool(threads)) {
                    for (int slice = 0; slice < options.turns(); slice++) {
                        for (Subject subject : slice % 2 == 0 ? order : reversed(order)) {
                            CellRunner.Slice measured = runner.slice(pool, cell(subject, threads, keys, slice));
                            sums.computeIfAbsent(subject, s -> new CellRunner.Slice()).add(measured);
                        }
                    }
                }
                for (Subject subject : order) {
                    CellResult cell = sums.get(subject).toResult(cell(subject, threads, keys, 0));
                    cells.add(cell);
                    progress.accept(new Progress(cells.size(), total, cell));
                }
            }
        }
        return new BenchmarkResult(database, options, cells, Recommender.recommend(cells));
    }

    /** Slice {@code slice} of a cell: its share of the warm-up and of the duration, the last taking what division left. */
    private CellRunner.Cell cell(Subject subject, int threads, int keys, int slice) {
        return new CellRunner.Cell(subject, threads, keys, share(options.warmup(), slice), share(options.duration(), slice),
                options.work(), options.seed() + slice);
    }

    private Duration share(Duration whole, int slice) {
        int turns = options.turns();
        Duration each = whole.dividedBy(turns);
        return slice < turns - 1 ? each : whole.minus(each.multipliedBy(turns - 1));
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> reversed = new ArrayList<>(list);
        Collections.reverse(reversed);
        return reversed;
    }

    private HikariDataSource pool(int threads) {
        return pool(jdbcUrl, "lockstep-bench-" + threads, threads);
    }

    /** A HikariCP pool of exactly {@code threads} connections, reused, so connection set-up does not dominate. */
    static HikariDataSource pool(String jdbcUrl, String name, int threads) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName(name);
        config.setMaximumPoolSize(threads);
        config.setMinimumIdle(threads);
        config.setConnectionTimeout(Duration.ofSeconds(30).toMillis());
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not open a pool of " + threads + " connections to "
                    + passwordFree(jdbcUrl) + ": " + e.getMessage(), e);
        }
    }

    private String describeDatabase() {
        return describeDatabase(jdbcUrl);
    }

    /** The database product and version at {@code jdbcUrl}, e.g. {@code PostgreSQL 15.4}. */
    static String describeDatabase(String jdbcUrl) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
            DatabaseMetaData meta = connection.getMetaData();
            return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
        } catch (SQLException e) {
            throw new IllegalStateException("could not connect to " + passwordFree(jdbcUrl) + ": " + e.getMessage(), e);
        }
    }
}
