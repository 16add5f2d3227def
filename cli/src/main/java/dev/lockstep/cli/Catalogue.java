package dev.lockstep.cli;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Database;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.dsl.Scenario;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.testsupport.LockstepScenarios;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The built-in race scenarios, by the names {@code lockstep race --scenario} takes. */
enum Catalogue {
    START_START("start-start", "two runs of one key, each created pending, then started", LockstepScenarios::startStart),
    RESUME_RESUME("resume-resume", "two resumes of one failed run", LockstepScenarios::resumeResume),
    CANCEL_COMPLETE("cancel-complete", "a cancel racing the holder's complete", LockstepScenarios::cancelComplete),
    DISPATCH("dispatch", "two executors claiming the one pending run", LockstepScenarios::dispatch),
    STARTED_REDISPATCH("started-redispatch", "a stale run re-dispatched while its executor lives on, fenced", s -> s.redispatch(true)),
    STARTED_REDISPATCH_UNFENCED("started-redispatch-unfenced", "the same, the old executor checking status only (the bug)", s -> s.redispatch(false)),
    PENDING_GUARD_LATE_COMMIT("pending-guard-late-commit", "start-start where one pre-create commits late", LockstepScenarios::lateCommittingPreCreate);

    private final String label;
    private final String description;
    private final Function<LockstepScenarios, Scenario> scenario;

    Catalogue(String label, String description, Function<LockstepScenarios, Scenario> scenario) {
        this.label = label;
        this.description = description;
        this.scenario = scenario;
    }

    String label() {
        return label;
    }

    String description() {
        return description;
    }

    Scenario scenario(Strategy strategy, Database database) {
        return scenario.apply(new LockstepScenarios(strategy, database));
    }

    static Catalogue of(String name) {
        for (Catalogue c : values()) {
            if (c.label.equals(name)) {
                return c;
            }
        }
        throw new CommandFailure("unknown scenario '" + name + "'; known: "
                + Arrays.stream(values()).map(Catalogue::label).collect(Collectors.joining(", ")));
    }

    static Strategy strategy(String name) {
        try {
            return Strategy.fromLabel(name);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    /** The tables every scenario uses, in a fresh scratch database, for {@code strategy}. */
    /** The race harness on {@code target}; a step's call site is the scenario's line, not lock-core's insides. */
    static RaceHarness harness(Target target) {
        return RaceHarness.on(target.dataSource()).withLibraryPackages(Coordinator.class.getPackageName());
    }

    static void prepare(Target target, Strategy strategy) {
        Schema.install(target.dataSource(), strategy);
        try (Connection c = target.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS lockstep_exec (run_id BIGINT NOT NULL, executor VARCHAR(20) NOT NULL)");
        } catch (SQLException e) {
            throw new CommandFailure("cannot prepare " + target.description() + ": " + e.getMessage());
        }
    }
}
