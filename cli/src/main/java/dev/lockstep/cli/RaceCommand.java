package dev.lockstep.cli;

import dev.lockstep.core.Strategy;
import dev.lockstep.dsl.Schedule;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Explorer;
import dev.lockstep.harness.explore.Verdict;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep race}: one scenario of the catalogue, one strategy, one database, one mode. */
@Command(name = "race", mixinStandardHelpOptions = true,
        description = {"Run a race scenario under one strategy with the race harness.",
                "Exit code 0: no invariant broke; 1: one did (the counterexample is printed); 2: usage or connection error, "
                        + "or a --replay schedule that does not describe the run (it names an actor that cannot move, or ends early).",
                "Works in a scratch SQLite file, PostgreSQL schema or MariaDB database; your tables are never touched."})
final class RaceCommand implements Callable<Integer> {

    @ParentCommand
    Lockstep root;

    enum Mode { exhaustive, random, pct, replay }

    /** What moves once a --replay schedule has run out, by the names --replay-rest takes. */
    enum Rest {
        DECLARATION_ORDER("declaration-order", Explorer.Replay::thenInDeclarationOrder),
        WITHOUT_PREEMPTION("without-preemption", Explorer.Replay::thenWithoutPreemption);

        private final String label;
        private final UnaryOperator<Explorer.Replay> apply;

        Rest(String label, UnaryOperator<Explorer.Replay> apply) {
            this.label = label;
            this.apply = apply;
        }

        static Rest of(String label) {
            for (Rest rest : values()) {
                if (rest.label.equals(label)) {
                    return rest;
                }
            }
            throw new CommandFailure("unknown --replay-rest '" + label + "'; known: "
                    + Arrays.stream(values()).map(rest -> rest.label).collect(Collectors.joining(", ")));
        }
    }

    @Option(names = "--scenario", required = true, description = "start-start, resume-resume, cancel-complete, dispatch, "
            + "started-redispatch, started-redispatch-unfenced, pending-guard-late-commit")
    String scenario;

    @Option(names = "--strategy", required = true, description = "naive-guard, pending-guard, running-at-creation, advisory-lock, lease")
    String strategy;

    @Option(names = "--db", defaultValue = "sqlite", description = "sqlite (default), jdbc:postgresql://HOST:PORT/DATABASE?user=USER or jdbc:mariadb://HOST:PORT/DATABASE?user=USER")
    String db;

    @Option(names = "--mode", description = "exhaustive (the default), random, pct or replay (the default with --replay)")
    Mode mode;

    @Option(names = "--seed", defaultValue = "1", description = "seed for random and pct (default 1)")
    long seed;

    @Option(names = "--schedules", description = "schedules for random and pct (default 1000); the cap for exhaustive (default 100000)")
    Integer schedules;

    @Option(names = "--depth", defaultValue = "3", description = "pct's depth: priority changes + 1 (default 3)")
    int depth;

    @Option(names = "--replay", description = "the schedule to replay exactly, e.g. \"A A B A B B\": one actor per step of the run, "
            + "as the replay: line of a counterexample prints it (implies --mode replay)")
    String replay;

    @Option(names = "--replay-rest", paramLabel = "ORDER", description = "let a --replay schedule shorter than the run end early; "
            + "the rest of the run then moves: declaration-order (the first actor that can, in declaration order, at every step) "
            + "or without-preemption (the actor that moved last while it can, then the first that can)")
    String replayRest;

    @Override
    public Integer call() {
        Catalogue chosen = Catalogue.of(scenario);
        Strategy s = Catalogue.strategy(strategy);
        Explorer explorer = explorer();
        try (Target target = Target.scratch(db, root.interruption())) {
            Catalogue.prepare(target, s);
            RaceResult result = Catalogue.harness(target).explore(chosen.scenario(s, target.database()), explorer);
            System.out.println(result.report());
            if (result.unrealized().isPresent()) {
                System.err.println("lockstep: --replay does not describe this run: " + result.unrealized().get().summary()
                        + (result.unrealized().get() instanceof Verdict.ScheduleTooShort ? " (give the missing steps, or --replay-rest ORDER)" : ""));
                return 2;
            }
            if (!result.failed()) {
                System.out.println("no invariant broke (" + target.description() + ")");
            }
            return result.failed() ? 1 : 0;
        }
    }

    private Explorer explorer() {
        Mode chosen = mode != null ? mode : replay != null ? Mode.replay : Mode.exhaustive;
        if (replay != null && chosen != Mode.replay) {
            throw new CommandFailure("--replay replays one schedule, --mode " + chosen + " explores many: give one of them");
        }
        if (replayRest != null && replay == null) {
            throw new CommandFailure("--replay-rest says what moves after a --replay schedule, and there is none");
        }
        int count = schedules != null ? schedules : chosen == Mode.exhaustive ? 100_000 : 1_000;
        if (count < 1) {
            throw new CommandFailure("--schedules must be at least 1, was " + count);
        }
        return switch (chosen) {
            case exhaustive -> Explorer.exhaustive(count);
            case random -> Explorer.random(seed, count);
            case pct -> Explorer.pct(seed, count, depth);
            case replay -> replayExplorer();
        };
    }

    private Explorer replayExplorer() {
        if (replay == null || replay.isBlank()) {
            throw new CommandFailure("--mode replay needs --replay \"A B A ...\"");
        }
        Explorer.Replay exact;
        try {
            exact = Explorer.replay(Schedule.parse(replay));
        } catch (IllegalArgumentException e) {
            throw new CommandFailure("bad --replay: " + e.getMessage());
        }
        return replayRest == null ? exact : Rest.of(replayRest).apply.apply(exact);
    }
}
