package dev.lockstep.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Strategy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * A soak: lock-core under the mixed workload of a real service, checked from three sides.
 *
 * <pre>{@code
 * SoakResult result = Soak.on("jdbc:postgresql://db/scratch?user=me", Soak.Options.of(Strategy.ADVISORY_LOCK)
 *         .withDuration(Duration.ofSeconds(60))).run();
 * System.out.println(result.report());
 * System.exit(result.passed() ? 0 : 1);
 * }</pre>
 *
 * <ol>
 *   <li>Installs the strategy's tables ({@code Schema.install}, the partial unique index only for
 *       running-at-creation) and opens a pool of one connection per worker.
 *   <li>Runs {@code threads} {@link SoakWorker}s on {@code keys} keys until the deadline: every lifecycle
 *       call mixed, with runs handed between workers (paused, failed, abandoned by a holder that dies),
 *       and a short {@code staleAfter}, so takeovers really happen.
 *   <li>Beside them a {@link Sampler}, on a connection of its own, counts the rows that break "at most one
 *       active run per key", sample after sample; a {@link SoakLedger} checks that no two executions of
 *       one key overlap.
 *   <li>After the workers stopped: one last sample, and the orphans: runs a {@code begin} created but did
 *       not return, which a worker executed all the same.
 * </ol>
 * It passes with no violation (ledger or sampler), no orphan and no unexpected exception: anything but a
 * {@code LockstepException}, or a {@code DatabaseException} (a deadlock is one). It writes only lock-core's
 * tables, which it never empties: point it at a place of its own.
 */
public final class Soak {

    /**
     * What to run, validated when made; each {@code withX} returns a new value.
     *
     * @param strategy   the strategy soaked
     * @param threads    worker threads, each with a pooled connection, 1 to {@value #MAX_THREADS}
     * @param keys       how many keys the workers pick from, 1 to {@value #MAX_KEYS}
     * @param duration   how long the workers run, at least 1 ms
     * @param staleAfter the coordinator's {@code staleAfter}: how soon a dead holder's run can be taken over,
     *                   at least {@value #MIN_STALE_AFTER_MILLIS} ms (executions must stay far shorter)
     * @param seed       seeds the workers' choices
     */
    public record Options(Strategy strategy, int threads, int keys, Duration duration, Duration staleAfter, long seed) {

        public static final int MAX_THREADS = Benchmark.Options.MAX_THREADS;
        public static final int MAX_KEYS = 100_000;
        public static final long MIN_STALE_AFTER_MILLIS = 100;

        public Options {
            Objects.requireNonNull(strategy, "strategy must not be null");
            Objects.requireNonNull(duration, "duration must not be null");
            Objects.requireNonNull(staleAfter, "staleAfter must not be null");
            if (threads < 1 || threads > MAX_THREADS) {
                throw new IllegalArgumentException("threads must be between 1 and " + MAX_THREADS + ", was " + threads);
            }
            if (keys < 1 || keys > MAX_KEYS) {
                throw new IllegalArgumentException("keys must be between 1 and " + MAX_KEYS + ", was " + keys);
            }
            if (duration.toMillis() < 1) {
                throw new IllegalArgumentException("duration must be at least 1 ms, was " + duration);
            }
            if (staleAfter.toMillis() < MIN_STALE_AFTER_MILLIS) {
                throw new IllegalArgumentException("staleAfter must be at least " + MIN_STALE_AFTER_MILLIS + " ms, was " + staleAfter);
            }
        }

        /** 8 threads on 20 keys for 3 minutes, stale after 1 s, seed 42. */
        public static Options of(Strategy strategy) {
            return new Options(strategy, 8, 20, Duration.ofMinutes(3), Duration.ofSeconds(1), 42);
        }

        public Options withThreads(int value) {
            return new Options(strategy, value, keys, duration, staleAfter, seed);
        }

        public Options withKeys(int value) {
            return new Options(strategy, threads, value, duration, staleAfter, seed);
        }

        public Options withDuration(Duration value) {
            return new Options(strategy, threads, keys, value, staleAfter, seed);
        }

        public Options withStaleAfter(Duration value) {
            return new Options(strategy, threads, keys, duration, value, seed);
        }

        public Options withSeed(long value) {
            return new Options(strategy, threads, keys, duration, staleAfter, value);
        }
    }

    /**
     * How long workers told to stop may take to return: their last call can wait for a lock for up to
     * lock-core's default lock timeout (10 s). One still in a call after that is reported as unexpected.
     */
    static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String jdbcUrl;
    private final Options options;
    private final LongSupplier nanoClock;

    private Soak(String jdbcUrl, Options options, LongSupplier nanoClock) {
        this.jdbcUrl = jdbcUrl;
        this.options = options;
        this.nanoClock = nanoClock;
    }

    /** A soak of the database at {@code jdbcUrl} ({@code jdbc:sqlite:}, {@code jdbc:postgresql:} or {@code jdbc:mariadb:}). */
    public static Soak on(String jdbcUrl, Options options) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null");
        Objects.requireNonNull(options, "options must not be null");
        Benchmark.requireSupported(jdbcUrl);
        return new Soak(jdbcUrl, options, System::nanoTime);
    }

    public Options options() {
        return options;
    }

    /**
     * Installs the tables and runs the soak.
     *
     * @throws IllegalStateException if the database cannot be reached or its tables installed, or the
     *                               calling thread is interrupted (the workers are stopped first)
     */
    public SoakResult run() {
        String database = Benchmark.describeDatabase(jdbcUrl);
        try (HikariDataSource pool = Benchmark.pool(jdbcUrl, "lockstep-soak", options.threads());
             Connection sampling = DriverManager.getConnection(jdbcUrl)) {
            BenchSchema.install(pool, options.strategy());
            return run(pool, sampling, database);
        } catch (SQLException e) {
            throw new IllegalStateException("the soak on " + Benchmark.passwordFree(jdbcUrl) + " failed: " + e.getMessage(), e);
        }
    }

    /** The soak on tables already installed in {@code pool}'s database; {@code sampling} is the sampler's connection. */
    SoakResult run(DataSource pool, Connection sampling, String database) throws SQLException {
        Coordinator coordinator = Coordinator.create(pool, Coordinator.Options.of(options.strategy())
                .withStaleAfter(options.staleAfter()));
        String[] keys = new String[options.keys()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "soak-key-" + i;
        }
        SoakLedger ledger = new SoakLedger(options.staleAfter().toNanos(), nanoClock);
        SoakPools pools = new SoakPools(options.keys());
        SoakTally tally = new SoakTally();
        Map<String, Long> beginResults = new ConcurrentHashMap<>();
        Sampler sampler = new Sampler();
        WorkerThreads threads = new WorkerThreads("lockstep-soak", options.threads() + 1);
        ExecutorService executor = threads.executor();
        AtomicBoolean stopWorkers = new AtomicBoolean();
        AtomicBoolean stopSampler = new AtomicBoolean();
        long start = nanoClock.getAsLong();
        long deadline = start + options.duration().toNanos();
        Future<?> samplerTask = executor.submit(() -> {
            sampler.run(sampling, stopSampler::get);
            return null;
        });
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < options.threads(); i++) {
            SoakWorker worker = new SoakWorker(coordinator, ledger, pools, tally, beginResults, keys, "soak-worker-" + i,
                    options.seed() * 1_000_003L + i, nanoClock, deadline, stopWorkers::get);
            workers.add(executor.submit(worker::run));
        }
        List<String> stuck;
        Duration measured;
        try {
            for (Future<?> worker : workers) {
                join(worker);
            }
            measured = Duration.ofNanos(nanoClock.getAsLong() - start);
        } finally {
            stopWorkers.set(true);
            stopSampler.set(true);
            stuck = threads.stop(STOP_GRACE, false); // not interrupted: a call cut short would be an error of our making
        }
        join(samplerTask);
        try (Statement statement = sampling.createStatement()) {
            sampler.sample(statement); // the last word, after every worker has stopped
        }
        List<String> unexpectedStops = new ArrayList<>();
        if (!stuck.isEmpty()) {
            unexpectedStops.add(stuck.size() + " worker(s) still in a call " + STOP_GRACE.toSeconds() + " s after the end: "
                    + String.join(", ", stuck));
        }
        return new SoakResult(options, database, measured, tally.outcomes(), tally.unexpected(), tally.firstUnexpected(),
                unexpectedStops, samplingOf(sampler.figures()), executionsOf(ledger),
                orphans(sampling, ledger.executedRuns(), beginResults));
    }

    private static SoakResult.Sampling samplingOf(Sampler.Figures figures) {
        return new SoakResult.Sampling(figures.samples(), figures.violatingRows(), figures.samplesWithViolations(),
                figures.mostInOneSample());
    }

    private static SoakResult.Executions executionsOf(SoakLedger ledger) {
        return new SoakResult.Executions(ledger.executions(), ledger.executedRuns().size(), ledger.violations(),
                ledger.staleOverlaps(), ledger.cancelledOverlaps(), ledger.describedViolations());
    }

    /**
     * The runs {@code begin} calls created (named {@code begin-...}) but did not return: executed by a worker
     * anyway (orphans), or left pending.
     */
    static SoakResult.Orphans orphans(Connection connection, Set<Long> executed, Map<String, Long> beginResults)
            throws SQLException {
        long orphans = 0;
        long leftPending = 0;
        List<String> examples = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, name, status FROM lockstep_run WHERE name LIKE 'begin-%' ORDER BY id")) {
            while (rows.next()) {
                long id = rows.getLong(1);
                String name = rows.getString(2);
                Long returned = beginResults.get(name);
                if (returned != null && returned == id) {
                    continue;
                }
                if (executed.contains(id)) {
                    orphans++;
                    if (examples.size() < SoakLedger.DESCRIBED) {
                        examples.add("run " + id + " (" + name + ", now " + rows.getString(3) + "), created by a begin that "
                                + (returned == null ? "did not return a run" : "returned run " + returned));
                    }
                } else if (rows.getString(3).equals("pending")) {
                    leftPending++;
                }
            }
        }
        return new SoakResult.Orphans(orphans, leftPending, examples);
    }

    private static void join(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            // the interrupt (Ctrl-C) ends the soak as this exception; the flag is not kept, so that the pool and
            // the connections still close cleanly on the way out
            throw new IllegalStateException("the soak was interrupted", e);
        } catch (ExecutionException e) {
            // a worker counts every RuntimeException as an outcome; what gets here must not be hidden
            throw new IllegalStateException("a soak thread died: " + e.getCause(), e.getCause());
        }
    }
}
