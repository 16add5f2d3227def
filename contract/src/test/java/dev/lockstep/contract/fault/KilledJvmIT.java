package dev.lockstep.contract.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.NotResumableException;
import dev.lockstep.core.Run;
import dev.lockstep.core.RunStatus;
import dev.lockstep.core.Schema;
import dev.lockstep.core.StaleFenceException;
import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A JVM that holds a run under managed execution is killed with SIGKILL: its heartbeats stop, the run goes
 * stale by the database clock and is listed by {@code staleRuns}, {@code resume} takes it over with a larger
 * fence, and the dead holder's claim is refused from then on.
 */
class KilledJvmIT {

    /**
     * Short, so that the orphan goes stale within seconds of the kill; long enough that the child's begin
     * (inside its 2/3-of-staleAfter budget before the first heartbeat) survives a loaded machine.
     */
    private static final Duration STALE_AFTER = Duration.ofSeconds(3);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String KEY = "repo/a";

    /**
     * Two strategies, not every one: a child JVM costs seconds, and what differs between strategies in a
     * takeover (resume of a stale run) is in the contract suite for all of them. Running-at-creation keeps
     * the key in the runs table, the lease outside it.
     */
    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"RUNNING_AT_CREATION", "ON_CONFLICT_LEASE"})
    void aKilledHoldersRunGoesStaleAndIsTakenOver(Strategy strategy) throws Exception {
        try (TestDatabase database = TestDatabases.shared().create(DatabaseKind.POSTGRESQL)) {
            Schema.install(database.dataSource(), strategy);
            Coordinator runs = Coordinator.create(database.dataSource(), Coordinator.Options.of(strategy).withStaleAfter(STALE_AFTER));
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), HeldRunChild.class.getName(),
                    database.jdbcUrl(), strategy.label(), String.valueOf(STALE_AFTER.toMillis()), KEY)
                    .redirectErrorStream(true)
                    .start();
            Claim dead;
            try {
                String held = firstLineStartingWith(child, "HELD ");
                String[] parts = held.split(" ");
                dead = new Claim(Long.parseLong(parts[1]), KEY, "child-jvm", Long.parseLong(parts[2]));
                long begun = lastActivity(runs, dead.runId());
                await().atMost(PATIENCE).until(() -> lastActivity(runs, dead.runId()) > begun); // the child heartbeats
                assertThatThrownBy(() -> runs.resume(dead.runId(), "successor")).isInstanceOf(NotResumableException.class);
            } finally {
                child.destroyForcibly();
                assertThat(child.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the child JVM died").isTrue();
            }

            await().atMost(PATIENCE).until(() -> runs.staleRuns(10).stream().map(Run::id).toList(), ids -> ids.equals(List.of(dead.runId())));
            Claim successor = runs.resume(dead.runId(), "successor");

            assertThat(successor.fence()).isGreaterThan(dead.fence());
            assertThat(runs.staleRuns(10)).isEmpty();
            assertThatThrownBy(() -> runs.heartbeat(dead)).isInstanceOf(StaleFenceException.class);
            assertThatThrownBy(() -> runs.complete(dead)).isInstanceOf(StaleFenceException.class);
            runs.complete(successor);
            assertThat(runs.find(dead.runId()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
            Consistency.assertNothingHalfDone(database.dataSource(), strategy, List.of());
        }
    }

    private static long lastActivity(Coordinator runs, long runId) {
        return runs.find(runId).orElseThrow().lastActivityAt().orElseThrow().toEpochMilli();
    }

    /** The child's first output line with {@code prefix}; everything it printed before, if it never says so. */
    private static String firstLineStartingWith(Process child, String prefix) throws Exception {
        StringBuilder printed = new StringBuilder();
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String next = out.readLine(); next != null; next = out.readLine()) {
                    if (next.startsWith(prefix)) {
                        return next;
                    }
                    synchronized (printed) {
                        printed.append(next).append('\n');
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                return null;
            }
        });
        String found = line.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (found == null) {
            synchronized (printed) {
                throw new AssertionError("the child JVM never printed '" + prefix + "'; it printed:\n" + printed);
            }
        }
        return found;
    }
}
