package dev.lockstep.cli;

import dev.lockstep.core.Strategy;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Explorer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockstep race}: one scenario of the catalogue, one strategy, one database, one mode. */
@Command(name = "race", mixinStandardHelpOptions = true,
        description = {"Run a race scenario under one strategy with the race harness.",
                "Exit code 0: no invariant broke; 1: one did (the counterexample is printed); 2: usage or connection error.",
                "Works in a scratch SQLite file or a scratch PostgreSQL schema; your tables are never touched."})
final class RaceCommand implements Callable<Integer> {

    enum Mode { exhaustive, random, pct, replay }

    @Option(names = "--scenario", required = true, description = "start-start, resume-resume, cancel-complete, dispatch, "
            + "started-redispatch, started-redispatch-unfenced, pending-guard-late-commit")
    String scenario;

    @Option(names = "--strategy", required = true, description = "naive-guard, pending-guard, running-at-creation, advisory-lock, lease")
    String strategy;

    @Option(names = "--db", defaultValue = "sqlite", description = "sqlite (default) or jdbc:postgresql://HOST:PORT/DATABASE?user=USER")
    String db;

    @Option(names = "--mode", defaultValue = "exhaustive", description = "exhaustive (default), random, pct or replay")
    Mode mode;

    @Option(names = "--seed", defaultValue = "1", description = "seed for random and pct (default 1)")
    long seed;

    @Option(names = "--schedules", description = "schedules for random and pct (default 1000); the cap for exhaustive (default 100000)")
    Integer schedules;

    @Option(names = "--depth", defaultValue = "3", description = "pct's depth: priority changes + 1 (default 3)")
    int depth;

    @Option(names = "--replay", description = "the schedule to replay, e.g. \"A A B A B B\" (with --mode replay)")
    String replay;

    @Override
    public Integer call() {
        Catalogue chosen = Catalogue.of(scenario);
        Strategy s = Catalogue.strategy(strategy);
        Explorer explorer = explorer();
        try (Target target = Target.scratch(db)) {
            Catalogue.prepare(target, s);
            RaceResult result = RaceHarness.on(target.dataSource()).explore(chosen.scenario(s, target.database()), explorer);
            System.out.println(result.report());
            if (!result.failed()) {
                System.out.println("no invariant broke (" + target.description() + ")");
            }
            return result.failed() ? 1 : 0;
        }
    }

    private Explorer explorer() {
        int count = schedules != null ? schedules : mode == Mode.exhaustive ? 100_000 : 1_000;
        if (count < 1) {
            throw new CommandFailure("--schedules must be at least 1, was " + count);
        }
        return switch (mode) {
            case exhaustive -> Explorer.exhaustive(count);
            case random -> Explorer.random(seed, count);
            case pct -> Explorer.pct(seed, count, depth);
            case replay -> {
                if (replay == null || replay.isBlank()) {
                    throw new CommandFailure("--mode replay needs --replay \"A B A ...\"");
                }
                try {
                    yield Explorer.replay(Schedule.parse(replay));
                } catch (IllegalArgumentException e) {
                    throw new CommandFailure("bad --replay: " + e.getMessage());
                }
            }
        };
    }
}
