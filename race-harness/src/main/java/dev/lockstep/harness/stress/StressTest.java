package dev.lockstep.harness.stress;

import dev.lockstep.dsl.Actor;
import dev.lockstep.dsl.Expectation;
import dev.lockstep.dsl.Outcome;
import dev.lockstep.dsl.Outcomes;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.scheduler.Expectations;
import dev.lockstep.harness.scheduler.Invariants;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Free-running stress, for races inside single statements that no statement-level schedule can
 * show: every iteration runs the scenario's setup, then all actors at once on real threads with no
 * yield points, files the iteration under an outcome label and checks every invariant (final-only
 * ones included: {@link Invariants}) and every expectation and final check ({@link Expectations}), as
 * a scheduled run does at its end. Each label is declared acceptable or forbidden, jcstress-style; a
 * label nobody declared is forbidden, and so is any iteration that broke a promise, whatever its label.
 *
 * <p>Immutable: each {@code withX}/declaration returns a new test.
 */
public final class StressTest {

    /** Whether an outcome may happen. */
    public enum Expect { ACCEPTABLE, FORBIDDEN }

    /** A declared outcome. */
    public record Declared(Expect expect, String description) {}

    private final Scenario scenario;
    private final int iterations;
    private final Function<Outcomes, String> classifier;
    private final Map<String, Declared> declared;
    private final Duration timeout;

    private StressTest(Scenario scenario, int iterations, Function<Outcomes, String> classifier, Map<String, Declared> declared,
                       Duration timeout) {
        this.scenario = Objects.requireNonNull(scenario, "scenario must not be null");
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, was " + iterations);
        }
        this.iterations = iterations;
        this.classifier = Objects.requireNonNull(classifier, "classifier must not be null");
        this.declared = Map.copyOf(declared);
        this.timeout = timeout;
    }

    /** 1,000 iterations, outcomes labelled by {@link #byOutcomeType}. */
    public static StressTest of(Scenario scenario) {
        return new StressTest(scenario, 1_000, StressTest::byOutcomeType, Map.of(), Duration.ofSeconds(30));
    }

    /** e.g. {@code A=Claim B=AlreadyActiveException}: each actor's returned type or thrown exception ({@link Outcomes#typeLabel()}). */
    public static String byOutcomeType(Outcomes outcomes) {
        return outcomes.typeLabel();
    }

    public StressTest iterations(int count) {
        return new StressTest(scenario, count, classifier, declared, timeout);
    }

    /** How long each actor of an iteration may take (30 s unless set); one that takes longer fails the run. */
    public StressTest timeout(Duration limit) {
        Objects.requireNonNull(limit, "timeout must not be null");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + limit);
        }
        return new StressTest(scenario, iterations, classifier, declared, limit);
    }

    public StressTest classify(Function<Outcomes, String> labeller) {
        return new StressTest(scenario, iterations, labeller, declared, timeout);
    }

    public StressTest acceptable(String outcome, String description) {
        return declare(outcome, Expect.ACCEPTABLE, description);
    }

    public StressTest forbidden(String outcome, String description) {
        return declare(outcome, Expect.FORBIDDEN, description);
    }

    private StressTest declare(String outcome, Expect expect, String description) {
        Map<String, Declared> more = new LinkedHashMap<>(declared);
        if (more.put(Objects.requireNonNull(outcome, "outcome"), new Declared(expect, description)) != null) {
            throw new IllegalArgumentException("outcome '" + outcome + "' is declared twice");
        }
        return new StressTest(scenario, iterations, classifier, more, timeout);
    }

    /** Runs the iterations on {@code dataSource}; each actor uses it directly, without yield points. */
    public StressResult run(DataSource dataSource) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, Integer> broke = new LinkedHashMap<>();
        try (Connection observer = dataSource.getConnection(); Invariants invariants = new Invariants(scenario.invariants(), observer)) {
            observer.setAutoCommit(true);
            for (int i = 0; i < iterations; i++) {
                for (Scenario.Setup setup : scenario.setup()) {
                    setup.run(observer);
                }
                Outcomes outcomes = runActors(dataSource);
                String label = classifier.apply(outcomes);
                counts.merge(label, 1, Integer::sum);
                brokenPromise(invariants, outcomes, observer).ifPresent(promise -> broke.merge(label + "\u0000" + promise, 1, Integer::sum));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("stress run of '" + scenario.name() + "' failed: " + e.getMessage(), e);
        }
        return new StressResult(scenario.name(), iterations, counts, StressResult.brokenByLabel(broke), declared);
    }

    /** The first promise an iteration broke: a final invariant, else an expectation (as a scheduled run checks them at its end). */
    private Optional<String> brokenPromise(Invariants invariants, Outcomes outcomes, Connection observer) throws SQLException {
        Optional<Invariants.Violation> violation = invariants.firstViolation(true);
        if (violation.isPresent()) {
            return Optional.of(violation.get().invariant().description());
        }
        return Expectations.firstFailed(scenario.expectations(), outcomes, observer).map(Expectation::description);
    }

    private Outcomes runActors(DataSource dataSource) {
        CountDownLatch go = new CountDownLatch(1);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (Actor actor : scenario.actors()) {
                Thread thread = new Thread(() -> {
                    Outcome outcome;
                    try {
                        go.await();
                        outcome = new Outcome.Returned(actor.body().run(dataSource));
                    } catch (Throwable e) {
                        outcome = new Outcome.Threw(e);
                    }
                    synchronized (outcomes) {
                        outcomes.put(actor.name(), outcome);
                    }
                }, "lockstep-stress-" + actor.name());
                thread.setDaemon(true); // an actor stuck in the database must not also keep the JVM alive
                threads.add(thread);
                thread.start();
            }
            go.countDown();
            awaitActors(threads);
        } catch (RuntimeException | Error e) {
            stopActors(threads, e);
            throw e;
        }
        Map<String, Outcome> ordered = new LinkedHashMap<>();
        synchronized (outcomes) {
            for (Actor actor : scenario.actors()) {
                ordered.put(actor.name(), outcomes.get(actor.name()));
            }
        }
        return new Outcomes(ordered);
    }

    /** Waits up to the timeout for each actor of an iteration to end. */
    private void awaitActors(List<Thread> threads) {
        for (Thread thread : threads) {
            try {
                thread.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a stress iteration", e);
            }
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not finish a stress iteration within " + timeout);
            }
        }
    }

    /**
     * The failure path of an iteration: interrupts the actors still running and gives them the timeout
     * again to end; one that does not is named on {@code failure}, since it runs on beside the caller.
     */
    private void stopActors(List<Thread> threads, Throwable failure) {
        threads.forEach(Thread::interrupt);
        boolean interrupted = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        List<String> alive = threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
        if (!alive.isEmpty()) {
            failure.addSuppressed(new IllegalStateException("stress actors still running " + timeout
                    + " after they were interrupted: " + String.join(", ", alive)));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
