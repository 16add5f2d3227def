package dev.lockstep.examples;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Two executors start a run on the same key at the same moment, under each strategy, on an embedded
 * SQLite file: who won, and how often both did. The naive guard is the bug this project exists for;
 * every other strategy must never let both win.
 *
 * <p>Usage: {@code StartRace [rounds]} (default 300 rounds per strategy).
 */
public final class StartRace {

    private static final String KEY = "/srv/work/repo";

    private StartRace() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("org.jooq.no-logo", "true"); // a program's output, not a library's banner
        System.setProperty("org.jooq.no-tips", "true");
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        Path dir = Files.createTempDirectory("lockstep-start-race");
        System.out.printf("Two executors begin a run on key '%s' at once, %d rounds per strategy, on SQLite (%s)%n%n",
                KEY, rounds, dir);
        System.out.printf("%-22s %-52s %12s %12s%n", "strategy", "first round", "one winner", "both won");
        ExecutorService executors = Executors.newFixedThreadPool(2);
        try {
            for (Strategy strategy : Strategy.values()) {
                race(strategy, dir.resolve(strategy.label() + ".db"), rounds, executors);
            }
        } finally {
            executors.shutdownNow();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.out.println();
        System.out.println("naive-guard is the original check-then-act bug, kept as a negative control: never use it.");
    }

    private static void race(Strategy strategy, Path file, int rounds, ExecutorService executors) throws Exception {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(5_000);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        Schema.install(dataSource, strategy);
        Coordinator runs = Coordinator.create(dataSource, strategy);

        String first = null;
        int oneWinner = 0;
        int bothWon = 0;
        for (int round = 0; round < rounds; round++) {
            String key = KEY + "/" + round;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> outcomes = new ArrayList<>();
            for (String executor : List.of("executor-a", "executor-b")) {
                outcomes.add(executors.submit(() -> {
                    go.await();
                    try {
                        Claim claim = runs.begin(key, "build", executor);
                        return executor + " started run " + claim.runId();
                    } catch (AlreadyActiveException e) {
                        return null;
                    }
                }));
            }
            go.countDown();
            List<String> winners = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                String won = outcome.get(30, TimeUnit.SECONDS);
                if (won != null) {
                    winners.add(won);
                }
            }
            if (winners.size() == 1) {
                oneWinner++;
            } else if (winners.size() == 2) {
                bothWon++;
            }
            if (first == null) {
                first = winners.size() == 1 ? winners.get(0) + ", the other refused" : String.join(" AND ", winners);
            }
        }
        System.out.printf("%-22s %-52s %12d %12d%n", strategy.label(), first, oneWinner, bothWon);
    }
}
