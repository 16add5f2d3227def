package dev.lockstep.cli;

import dev.lockstep.bench.Benchmark;
import dev.lockstep.bench.BenchmarkResult;
import dev.lockstep.bench.Subject;
import dev.lockstep.core.Strategy;
import dev.lockstep.harness.RaceHarness;
import dev.lockstep.harness.RaceResult;
import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Explorer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lockstep demo}: the original bug and its fixes, proved on a real database, then priced.
 *
 * <ol>
 *   <li>Every strategy's start-start race is explored exhaustively, each in a scratch place of its own;
 *       a verdict table follows, then the naive guard's counterexample as the harness shows it.
 *   <li>A short benchmark ({@link #BENCHMARK}) measures every strategy beside raw JDBC and ShedLock.
 *   <li>One line recommends the strategy the benchmark picks among those that survived every schedule.
 * </ol>
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Explore the start-start race exhaustively under the naive guard and each strategy, on an embedded "
                + "SQLite file by default (no server, no setup; or in a scratch PostgreSQL schema or MariaDB database), and show which strategies survive every schedule; "
                + "then a short benchmark of what each costs, and one line: the strategy to pick."})
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    Lockstep root;

    private static final int CAP = 100_000;

    /**
     * Every subject at 4 threads on 1 key (all contend) and on 1,000 keys (few do): 14 cells of 300 ms after
     * 100 ms of warm-up, about 6 s, so that the whole demo stays under a minute on a small machine.
     */
    static final Benchmark.Options BENCHMARK = Benchmark.Options.quick().withThreads(4).withKeys(1, 1000)
            .withDuration(Duration.ofMillis(300)).withWarmup(Duration.ofMillis(100));

    @Option(names = "--db", defaultValue = "sqlite", description = "sqlite (default), jdbc:postgresql://HOST:PORT/DATABASE?user=USER or jdbc:mariadb://HOST:PORT/DATABASE?user=USER")
    String db;

    private record Row(Strategy strategy, RaceResult result, long millis) {}

    @Override
    public Integer call() {
        Target.kind(db); // an unknown or unsupported --db is refused before anything is printed
        System.out.println("start-start: two runs of one key, each created pending, then started by its own executor.");
        System.out.println("Every interleaving of their SQL statements is run for real, fewest preemptions first.\n");
        List<Row> rows = new ArrayList<>();
        String database = null;
        for (Strategy strategy : Strategy.values()) {
            try (Target target = Target.scratch(db, root.interruption())) {
                Catalogue.prepare(target, strategy);
                long start = System.nanoTime();
                RaceResult result = Catalogue.harness(target)
                        .explore(Catalogue.START_START.scenario(strategy, target.database()), Explorer.exhaustive(CAP));
                rows.add(new Row(strategy, result, (System.nanoTime() - start) / 1_000_000));
                database = result.database();
            }
        }
        System.out.printf("%-22s %10s %11s %-28s %9s%n", "strategy", "schedules", "violations", "first counterexample", "time");
        for (Row row : rows) {
            String first = row.result().counterexample()
                    .map(e -> e.schedule().size() + " steps, " + e.preemptions() + " preemption" + (e.preemptions() == 1 ? "" : "s"))
                    .orElse("none (all explored)");
            System.out.printf("%-22s %10d %11d %-28s %6d ms%n", row.strategy().label(), row.result().exploration().runs(),
                    row.result().exploration().failures(), first, row.millis());
        }
        System.out.println("\non " + database + "\n");
        Row naive = rows.get(0);
        naive.result().counterexample().ifPresent((Execution e) -> {
            System.out.println("The naive guard's counterexample, as the harness prints it:\n");
            System.out.println(naive.result().report());
        });
        List<Strategy> survivors = rows.stream().filter(r -> r.strategy().isSafe() && !r.result().failed())
                .map(Row::strategy).toList();
        List<Strategy> broken = rows.stream().filter(r -> r.result().failed()).map(Row::strategy).toList();

        System.out.println("What they cost: a short benchmark, every strategy at 4 threads on 1 key and on 1,000 keys, 300 ms"
                + " per cell,\nbeside raw JDBC (the same SQL by hand) and ShedLock (lock/unlock of the same keys)."
                + " lockstep bench measures longer.\n");
        BenchmarkResult bench;
        try (Target target = Target.scratch(db, root.interruption())) {
            bench = BenchCommand.run(target, BENCHMARK);
        }
        System.out.println(bench.table());
        System.out.println(recommendation(survivors, broken, bench));
        return 0;
    }

    /**
     * The demo's last line: the strategy the benchmark recommends, when it is one that survived every
     * schedule, with its figures beside raw JDBC and ShedLock; else the survivors, without a pick.
     */
    static String recommendation(List<Strategy> survivors, List<Strategy> broken, BenchmarkResult bench) {
        String brokeToo = broken.isEmpty() ? "" : labels(broken) + " broke";
        Optional<Subject> pick = bench.recommendation().subject()
                .filter(subject -> subject.strategy().filter(survivors::contains).isPresent());
        if (pick.isPresent()) {
            return "recommendation: " + pick.get().label() + ". Of the strategies that survived every start-start schedule ("
                    + labels(survivors) + (brokeToo.isEmpty() ? "" : "; " + brokeToo) + "), the benchmark recommends "
                    + pick.get().label() + ": " + bench.figures(pick.get()) + ". Never the naive guard.";
        }
        String race = survivors.isEmpty()
                ? "No strategy survived every start-start schedule" + (brokeToo.isEmpty() ? "" : " (" + brokeToo + ")")
                : "Survived every start-start schedule: " + labels(survivors) + (brokeToo.isEmpty() ? "" : " (" + brokeToo + ")")
                        + "; the short benchmark recommended none of them (lockstep bench says why)";
        return "recommendation: none here. " + race + ". Never the naive guard.";
    }

    private static String labels(List<Strategy> strategies) {
        return String.join(", ", strategies.stream().map(Strategy::label).toList());
    }
}
