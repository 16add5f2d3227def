package dev.lockstep.harness;

import dev.lockstep.dsl.Permutation;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Exploration;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.explore.Shrinker;
import dev.lockstep.harness.explore.Shrunk;
import dev.lockstep.harness.scheduler.ScenarioRunner;
import dev.lockstep.harness.stress.StressResult;
import dev.lockstep.harness.stress.StressTest;
import dev.lockstep.harness.trace.TraceReport;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The entry point of the race harness: runs {@link Scenario}s on a real database, interleaving the
 * actors' real statements deterministically.
 *
 * <pre>{@code
 * RaceResult result = RaceHarness.on(dataSource).explore(scenario, Explorer.exhaustive(10_000));
 * RaceAssertions.assertNoRace(result);   // fails with the smallest counterexample, printed
 * }</pre>
 *
 * Immutable; each {@code withX} returns a new harness. Each call opens its connections (one observer
 * and one or more per actor, reused across the call's runs) and closes them before returning.
 */
public final class RaceHarness {

    /** How long any single wait may last before the harness gives up with an error naming who waited for what. */
    public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofSeconds(30);
    /** How many runs the shrinker may make to reduce a counterexample. */
    public static final int DEFAULT_SHRINK_RUNS = 500;

    private final DataSource dataSource;
    private final Duration stepTimeout;
    private final int shrinkRuns;
    private final List<String> libraryPackages;

    private RaceHarness(DataSource dataSource, Duration stepTimeout, int shrinkRuns, List<String> libraryPackages) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
        this.stepTimeout = Objects.requireNonNull(stepTimeout, "stepTimeout must not be null");
        if (stepTimeout.isNegative() || stepTimeout.isZero()) {
            throw new IllegalArgumentException("stepTimeout must be positive, was " + stepTimeout);
        }
        if (shrinkRuns < 0) {
            throw new IllegalArgumentException("shrinkRuns must not be negative, was " + shrinkRuns);
        }
        this.shrinkRuns = shrinkRuns;
        this.libraryPackages = List.copyOf(libraryPackages);
    }

    /** A harness on {@code dataSource}; every actor and the observer get connections of their own from it. */
    public static RaceHarness on(DataSource dataSource) {
        return new RaceHarness(dataSource, DEFAULT_STEP_TIMEOUT, DEFAULT_SHRINK_RUNS, List.of());
    }

    public RaceHarness withStepTimeout(Duration timeout) {
        return new RaceHarness(dataSource, timeout, shrinkRuns, libraryPackages);
    }

    /** How many runs the shrinker may make; 0 turns shrinking off. */
    public RaceHarness withShrinkRuns(int runs) {
        return new RaceHarness(dataSource, stepTimeout, runs, libraryPackages);
    }

    /**
     * Packages of libraries the code under test calls, e.g. {@code com.example.persistence}: a step's call site
     * (the {@code at ...} line of a report) is the first stack frame outside them, the JDK, the JDBC drivers,
     * jOOQ, connection pools, Spring's JDBC support and the harness.
     */
    public RaceHarness withLibraryPackages(String... packages) {
        List<String> named = List.of(packages); // throws on null
        for (String name : named) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a library package must not be blank");
            }
        }
        return new RaceHarness(dataSource, stepTimeout, shrinkRuns, named);
    }

    /**
     * Runs {@code scenario} once under {@code schedule}, exactly, and returns the run whatever its verdict:
     * a {@link dev.lockstep.harness.explore.Verdict.Unrealized} one when the schedule names an actor that
     * cannot move or ends before the run does (see {@link Explorer#replay}).
     */
    public Execution replay(Scenario scenario, Schedule schedule) {
        try (ScenarioRunner runner = runner(scenario)) {
            return Explorer.replay(schedule).run(runner);
        }
    }

    /**
     * Explores {@code scenario}'s schedules; when one fails, prints it, shrunk to the smallest run that
     * breaks the same promise, unless the explorer is a {@link Explorer.Replay}: a replay's run is
     * printed as it ran.
     */
    public RaceResult explore(Scenario scenario, Explorer explorer) {
        Objects.requireNonNull(explorer, "explorer must not be null");
        try (ScenarioRunner runner = runner(scenario)) {
            Exploration exploration = explorer.explore(runner);
            if (exploration.firstFailure().isEmpty()) {
                return new RaceResult(scenario.name(), runner.databaseDescription(), exploration, Optional.empty(),
                        scenario.name() + " on " + runner.databaseDescription() + ": " + exploration);
            }
            Execution first = exploration.firstFailure().get();
            Optional<Shrunk> shrunk = explorer instanceof Explorer.Replay ? Optional.empty()
                    : Optional.of(shrinkRuns == 0 ? new Shrunk(first, first, 0) : Shrinker.shrink(runner, first, shrinkRuns));
            TraceReport report = TraceReport.of(scenario.name(), runner.databaseDescription(), shrunk.map(Shrunk::smallest).orElse(first))
                    .withExplorer(exploration.explorer());
            if (shrunk.isPresent() && shrunk.get().improved()) {
                report = report.withShrunkFrom(first);
            }
            if (exploration.seed().isPresent()) {
                report = report.withSeed(exploration.seed().get());
            }
            return new RaceResult(scenario.name(), runner.databaseDescription(), exploration, shrunk, report.render());
        }
    }

    /**
     * Runs each permutation of {@code scenario} ({@link Scenario.Builder#permutation}), as PostgreSQL's
     * isolationtester does: every session's setup first, then exactly the steps the permutation names,
     * in its order, each checked against what its session says it should come to. One result per
     * permutation, in declaration order; a failing one carries its report (a permutation is a replay,
     * so it is never shrunk). A permutation that names a step of a session still waiting for another
     * fails as an invalid schedule, as in isolationtester.
     *
     * @throws IllegalArgumentException when the scenario declares no permutation (to run every
     *                                  interleaving, {@link #explore} it with {@link Explorer#exhaustive})
     */
    public List<RaceResult> permutations(Scenario scenario) {
        Objects.requireNonNull(scenario, "scenario must not be null");
        if (scenario.permutations().isEmpty()) {
            throw new IllegalArgumentException("scenario '" + scenario.name() + "' declares no permutation: add"
                    + " .permutation(\"s1a s2a s1c ...\"), or explore every interleaving with Explorer.exhaustive(cap)");
        }
        List<RaceResult> results = new ArrayList<>(scenario.permutations().size());
        for (Permutation permutation : scenario.permutations()) {
            results.add(explore(scenario.permuted(permutation), Explorer.replay(scenario.scheduleOf(permutation))));
        }
        return results;
    }

    /**
     * The report of any run of {@code scenario} on this harness's database, as {@link #explore} prints a
     * failing one: a replay's, or one an explorer of your own kept. It names the database it reads from
     * a connection of the harness's {@code DataSource}.
     */
    public String report(Scenario scenario, Execution execution) {
        Objects.requireNonNull(scenario, "scenario must not be null");
        Objects.requireNonNull(execution, "execution must not be null");
        String database;
        try (Connection connection = dataSource.getConnection()) {
            database = ScenarioRunner.describe(connection.getMetaData());
        } catch (SQLException e) {
            throw new IllegalStateException("the race harness could not name the database for the report: " + e.getMessage(), e);
        }
        return TraceReport.of(scenario.name(), database, execution).render();
    }

    /** Runs {@code test}'s scenario free-running (real threads, no yield points) and tallies the outcomes. */
    public StressResult stress(StressTest test) {
        Objects.requireNonNull(test, "test must not be null");
        return test.run(dataSource);
    }

    private ScenarioRunner runner(Scenario scenario) {
        return new ScenarioRunner(Objects.requireNonNull(scenario, "scenario must not be null"), dataSource, stepTimeout, libraryPackages);
    }
}
