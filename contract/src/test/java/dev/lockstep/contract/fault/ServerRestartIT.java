package dev.lockstep.contract.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.DatabaseException;
import dev.lockstep.core.LockTimeoutException;
import dev.lockstep.core.LockstepException;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.ThrowawayPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A PostgreSQL server restarted ({@code pg_ctl stop -m fast}, then start) while three workers begin and
 * complete runs of three keys: every failure is typed, one run at most holds each key, begins leave no
 * pending row, and the coordinator works again once the server is back, with no reconnect step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerRestartIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int WORKERS = 3;
    private static final List<String> KEYS = List.of("repo/a", "repo/b", "repo/c");
    private static final int CYCLES = 20;
    /**
     * The strategies whose begin is one transaction. The pending-inclusive guard's begin commits its run
     * {@code pending} (owned, so claim-next never takes it) before it starts it, by design: a restart
     * between the two commits leaves that row pending, and the cancel it would get on any other failure
     * cannot reach a server that is down.
     */
    private static final Set<Strategy> ATOMIC_BEGIN = EnumSet.of(Strategy.RUNNING_AT_CREATION, Strategy.ADVISORY_LOCK,
            Strategy.ON_CONFLICT_LEASE, Strategy.UNSAFE_NAIVE_GUARD);

    private ThrowawayPostgres server;

    @BeforeAll
    void startServer() {
        server = ThrowawayPostgres.start();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"PENDING_INCLUSIVE_GUARD", "RUNNING_AT_CREATION", "ADVISORY_LOCK", "ON_CONFLICT_LEASE"})
    void aRestartDuringAWorkloadLeavesOnlyTypedFailuresAndNothingHalfDone(Strategy strategy) throws Exception {
        try (TestDatabase database = server.createDatabase()) {
            Schema.install(database.dataSource(), strategy);
            Coordinator runs = Coordinator.create(database.dataSource(), Coordinator.Options.of(strategy));
            AtomicLong cycles = new AtomicLong();
            Map<String, LongAdder> typed = new ConcurrentHashMap<>();
            List<Throwable> untyped = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS, task -> {
                Thread t = new Thread(task, "restart-worker");
                t.setDaemon(true);
                return t;
            });
            List<Future<?>> workers = new ArrayList<>();
            try {
                for (int w = 0; w < WORKERS; w++) {
                    Random random = new Random(w);
                    String owner = "executor-" + w;
                    workers.add(pool.submit(() -> {
                        while (!stop.get()) {
                            cycle(runs, database.dataSource(), KEYS.get(random.nextInt(KEYS.size())), owner, cycles, typed, untyped);
                        }
                        return null;
                    }));
                }
                await().atMost(PATIENCE).until(() -> cycles.get() >= CYCLES || !untyped.isEmpty());
                server.restart();
                long atRestart = cycles.get();
                await().atMost(PATIENCE).until(() -> cycles.get() >= atRestart + CYCLES || !untyped.isEmpty());
            } finally {
                stop.set(true);
                for (Future<?> worker : workers) {
                    worker.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                }
                pool.shutdown();
                assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }

            System.out.println("restart under " + strategy + ": " + cycles.get() + " cycles, typed failures " + typed);
            assertThat(untyped).as("failures that are not LockstepExceptions").isEmpty();
            List<Long> pending = Consistency.rows(database.dataSource(), "SELECT id FROM lockstep_run WHERE status = 'pending' ORDER BY id")
                    .stream().map(row -> ((Number) row.get(0)).longValue()).toList();
            Consistency.assertNothingHalfDone(database.dataSource(), strategy, ATOMIC_BEGIN.contains(strategy) ? List.of() : pending);
            assertThat(Consistency.rows(database.dataSource(), "SELECT id FROM lockstep_run WHERE status IN ('running', 'paused')"))
                    .as("every run begun was completed").isEmpty();
            Claim after = runs.begin("repo/after", "deploy", "executor-0");
            runs.complete(after);
            // the pending guard's begin commits its run before it starts it, by design: a restart between the two
            // may leave that run pending, but owned by its begin, so that no executor's claim-next ever takes it
            assertThat(Consistency.rows(database.dataSource(), "SELECT id FROM lockstep_run WHERE status = 'pending' AND owner IS NULL"))
                    .as("pending runs an executor could claim").isEmpty();
        }
    }

    /**
     * One begin and complete. A complete that fails for a transient reason is retried until it succeeds, as an
     * executor would (it is fenced, so retrying is safe); a begin that fails waits until the database answers.
     */
    private static void cycle(Coordinator runs, DataSource dataSource, String key, String owner, AtomicLong cycles,
            Map<String, LongAdder> typed, List<Throwable> untyped) {
        Claim claim;
        try {
            claim = runs.begin(key, "deploy", owner);
        } catch (AlreadyActiveException refused) {
            return;
        } catch (LockstepException e) {
            count(typed, e);
            awaitAnswer(runs);
            return;
        } catch (RuntimeException e) {
            untyped.add(e);
            return;
        }
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            try {
                runs.complete(claim);
                return true;
            } catch (DatabaseException | LockTimeoutException transientFailure) {
                count(typed, transientFailure);
                return false;
            } catch (RuntimeException e) {
                untyped.add(e);
                return true;
            }
        });
        cycles.incrementAndGet();
    }

    private static void count(Map<String, LongAdder> typed, LockstepException e) {
        typed.computeIfAbsent(e.getClass().getSimpleName(), name -> new LongAdder()).increment();
    }

    private static void awaitAnswer(Coordinator runs) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> runs.find(0).isEmpty());
    }
}
