package dev.lockstep.cli;

import dev.lockstep.bench.Soak;
import dev.lockstep.bench.SoakResult;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lockstep soak}: one strategy under a service's mixed workload for a while, checked by a sampler, an
 * execution ledger and an orphan count, by the bench module's {@link Soak}, in a scratch place. The options
 * are validated before anything is created.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Run one strategy under a service's mixed workload: N threads over K keys calling begin, create+start, "
                + "claim-next, heartbeat, pause, resume, complete, fail, cancel, and taking over the runs of holders that die "
                + "(stale after --stale-after). A sampler on its own connection counts active rows of keys with more than one, "
                + "an execution ledger counts overlapping executions of one key, and runs a begin created but did not return "
                + "that were executed anyway are orphans. Prints calls/s and outcomes per operation, then the checks.",
                "Exit code 0: no violation, no orphan, no unexpected exception (anything but lock-core's typed refusals; "
                        + "a DatabaseException such as a deadlock is unexpected); 1: any of them; 2: usage or connection error.",
                "Works in a scratch SQLite file, PostgreSQL schema or MariaDB database; your tables are never touched."})
final class SoakCommand implements Callable<Integer> {

    @ParentCommand
    Lockstep root;

    @Option(names = "--strategy", required = true, description = "naive-guard, pending-guard, running-at-creation, advisory-lock, lease")
    String strategy;

    @Option(names = "--db", defaultValue = "sqlite", paramLabel = "DB",
            description = "sqlite (default; any jdbc:sqlite: URL also gets a new scratch file), jdbc:postgresql://HOST:PORT/DATABASE?user=USER "
                    + "or jdbc:mariadb://HOST:PORT/DATABASE?user=USER")
    String db;

    @Option(names = "--threads", defaultValue = "8", paramLabel = "N", description = "worker threads, default 8")
    int threads;

    @Option(names = "--keys", defaultValue = "20", paramLabel = "N", description = "keys the workers pick from, default 20")
    int keys;

    @Option(names = "--duration", defaultValue = "3m", converter = DurationOption.class, paramLabel = "TIME",
            description = "how long the workers run, e.g. 10s or 3m; default 3m")
    Duration duration;

    @Option(names = "--stale-after", defaultValue = "1s", converter = DurationOption.class, paramLabel = "TIME",
            description = "the coordinator's staleAfter: how soon a dead holder's run can be taken over; default 1s")
    Duration staleAfter;

    @Option(names = "--seed", defaultValue = "42", description = "seeds the workers' choices; default 42")
    long seed;

    @Override
    public Integer call() {
        Soak.Options options = options();
        try (Target target = Target.scratch(db, root.interruption())) {
            System.out.println("soaking " + options.strategy().label() + " in " + target.description() + " for "
                    + DurationOption.format(options.duration()) + "...");
            System.out.flush();
            SoakResult result;
            try {
                result = Soak.on(target.jdbcUrl(), options).run();
            } catch (IllegalStateException e) {
                throw new CommandFailure(e.getMessage().lines().findFirst().orElse("the soak failed"));
            }
            System.out.print(result.report());
            return result.passed() ? 0 : 1;
        }
    }

    /** The options asked for; contradictions are the engine's to refuse, before anything is created. */
    Soak.Options options() {
        try {
            return new Soak.Options(Catalogue.strategy(strategy), threads, keys, duration, staleAfter, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage().replace("staleAfter", "--stale-after").replaceFirst("^(threads|keys|duration)", "--$1"));
        }
    }
}
