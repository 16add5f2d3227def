package dev.lockstep.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.core.Claim;
import dev.lockstep.core.ClaimLostException;
import dev.lockstep.core.DatabaseException;
import dev.lockstep.core.StaleFenceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat schedule and the rules that lose a claim, with a fake heartbeat and a clock the test moves:
 * ticks are real (every 10 ms), but the "2/3 of staleAfter" rule only fires when the test says time passed,
 * so a slow machine cannot change which rule decides.
 */
class KeepAliveTest {

    private static final Duration STALE_AFTER = Duration.ofMillis(30);
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Claim CLAIM = new Claim(7, "repo/a", "executor-1", 3);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final List<KeepAlive> started = new ArrayList<>();

    private KeepAlive start(Consumer<Claim> heartbeat) {
        KeepAlive keepAlive = KeepAlive.start(CLAIM, STALE_AFTER, clock::get, clock.get(), claim -> {
            heartbeats.incrementAndGet();
            heartbeat.accept(claim);
        });
        started.add(keepAlive);
        return keepAlive;
    }

    @AfterEach
    void everyThreadEnds() {
        started.forEach(KeepAlive::close);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive() && t.getName().equals("lockstep-heartbeat-run-7"));
    }

    @Test
    void heartbeatsRepeatWhileTheyAreAcceptedAndTheClaimHolds() {
        KeepAlive keepAlive = start(claim -> assertThat(claim).isEqualTo(CLAIM));

        await().atMost(PATIENCE).until(() -> heartbeats.get() >= 3);

        assertThat(keepAlive.held()).isTrue();
        assertThat(keepAlive.loss()).isEmpty();
    }

    @Test
    void aRefusedHeartbeatLosesTheClaimAtOnceAndStopsTheHeartbeats() {
        StaleFenceException refused = new StaleFenceException("heartbeat", CLAIM, "repo/a", "executor-2", 4);
        KeepAlive keepAlive = start(claim -> {
            throw refused;
        });

        await().atMost(PATIENCE).until(() -> !keepAlive.held());
        keepAlive.close();

        assertThat(heartbeats).hasValue(1);
        assertThat(keepAlive.loss()).get().satisfies(lost -> {
            assertThat(lost.getCause()).isSameAs(refused);
            assertThat(lost.claim()).isEqualTo(CLAIM);
            assertThat(lost.getMessage()).contains("run 7").contains("'repo/a'").contains("a heartbeat was refused");
        });
    }

    @Test
    void oneTransientFailureIsRetriedAtTheNextTick() {
        KeepAlive keepAlive = start(claim -> {
            if (heartbeats.get() == 1) {
                throw new DatabaseException("connection reset", "08006", null);
            }
        });

        await().atMost(PATIENCE).until(() -> heartbeats.get() >= 4);

        assertThat(keepAlive.held()).isTrue();
    }

    @Test
    void twoTransientFailuresInARowLoseTheClaim() {
        List<DatabaseException> failures = new ArrayList<>();
        KeepAlive keepAlive = start(claim -> {
            DatabaseException failure = new DatabaseException("connection refused " + heartbeats.get(), "08001", null);
            synchronized (failures) {
                failures.add(failure);
            }
            throw failure;
        });

        await().atMost(PATIENCE).until(() -> !keepAlive.held());
        keepAlive.close();

        assertThat(heartbeats).hasValue(KeepAlive.MISSES_BEFORE_LOSS);
        ClaimLostException lost = keepAlive.loss().orElseThrow();
        assertThat(lost.getCause()).isSameAs(failures.get(1));
        assertThat(lost.getMessage()).contains("2 heartbeats in a row failed");
    }

    @Test
    void aHeartbeatThatHangsLosesTheClaimTwoThirdsOfStaleAfterAfterTheLastSuccess() throws InterruptedException {
        CountDownLatch hanging = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        KeepAlive keepAlive = start(claim -> {
            if (heartbeats.get() == 2) {
                hanging.countDown();
                awaitQuietly(release);
            }
        });
        hanging.await();

        clock.addAndGet(STALE_AFTER.toNanos() * 2 / 3 - 1_000);
        assertThat(keepAlive.held()).as("just before 2/3 of staleAfter").isTrue();
        clock.addAndGet(1_000);
        assertThat(keepAlive.held()).as("at 2/3 of staleAfter").isFalse();
        assertThat(keepAlive.loss().orElseThrow().getMessage()).contains("2/3 of staleAfter");

        release.countDown(); // the hung heartbeat now succeeds, too late: lost stays lost
        keepAlive.close();
        assertThat(keepAlive.held()).isFalse();
        assertThat(heartbeats).hasValue(2);
    }

    @Test
    void closeStopsTheHeartbeatsAndWaitsForTheThread() {
        KeepAlive keepAlive = start(claim -> { });
        await().atMost(PATIENCE).until(() -> heartbeats.get() >= 1);

        keepAlive.close();
        int after = heartbeats.get();

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive() && t.getName().equals("lockstep-heartbeat-run-7"));
        assertThat(heartbeats).hasValue(after);
        keepAlive.close(); // idempotent
    }

    @Test
    void anInterruptedCallerStillWaitsForTheThreadAndKeepsItsInterrupt() throws InterruptedException {
        CountDownLatch inFlight = new CountDownLatch(1);
        KeepAlive keepAlive = start(claim -> {
            inFlight.countDown();
            awaitQuietly(new CountDownLatch(1)); // ends only when close() interrupts it
        });
        inFlight.await();

        Thread.currentThread().interrupt();
        keepAlive.close();

        assertThat(Thread.interrupted()).as("the caller's interrupt status is kept").isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive() && t.getName().equals("lockstep-heartbeat-run-7"));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
