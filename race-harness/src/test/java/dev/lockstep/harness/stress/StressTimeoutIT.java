package dev.lockstep.harness.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.dsl.Race;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A stress iteration whose actor overruns the timeout fails, and leaves no actor thread running behind it. */
class StressTimeoutIT {

    private final TestDatabase database = TestDatabases.shared().create(DatabaseKind.SQLITE);
    private final Map<String, Thread> actors = new ConcurrentHashMap<>();

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void anActorPastTheTimeoutFailsTheRunAndIsInterrupted() {
        AtomicInteger interrupted = new AtomicInteger();
        StressTest stress = StressTest.of(Race.scenario("blocks")
                .actor("A", dataSource -> {
                    actors.put("A", Thread.currentThread());
                    try {
                        new CountDownLatch(1).await(); // blocks until interrupted
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                    }
                    return null;
                })
                .actor("B", dataSource -> actors.put("B", Thread.currentThread()))
                .build()).iterations(1).timeout(Duration.ofSeconds(1));

        assertThatThrownBy(() -> stress.run(database.dataSource()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("lockstep-stress-A did not finish a stress iteration within PT1S")
                .hasNoSuppressedExceptions();

        assertThat(interrupted).hasValue(1);
        assertNoActorAlive("A", "B");
    }

    @Test
    void anActorThatIgnoresTheInterruptIsNamedOnTheFailure() {
        CountDownLatch release = new CountDownLatch(1);
        StressTest stress = StressTest.of(Race.scenario("will not stop")
                .actor("A", dataSource -> {
                    actors.put("A", Thread.currentThread());
                    awaitIgnoringInterrupts(release);
                    return null;
                })
                .build()).iterations(1).timeout(Duration.ofSeconds(1));

        try {
            assertThatThrownBy(() -> stress.run(database.dataSource()))
                    .hasMessage("lockstep-stress-A did not finish a stress iteration within PT1S")
                    .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                            .isInstanceOf(IllegalStateException.class)
                            .hasFieldOrPropertyWithValue("message",
                                    "stress actors still running PT1S after they were interrupted: lockstep-stress-A"));
        } finally {
            release.countDown();
        }
        assertNoActorAlive("A");
    }

    @Test
    void theTimeoutMustBePositive() {
        StressTest stress = StressTest.of(Race.scenario("any").actor("A", dataSource -> null).build());

        assertThatThrownBy(() -> stress.timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive, was PT0S");
        assertThatThrownBy(() -> stress.timeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("timeout must not be null");
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (latch.getCount() > 0) {
            try {
                latch.await();
            } catch (InterruptedException ignored) {
                // this actor will not stop until the test lets it
            }
        }
    }

    private void assertNoActorAlive(String... names) {
        assertThat(actors).containsOnlyKeys(names);
        await().atMost(Duration.ofSeconds(10)).until(() -> actors.values().stream().noneMatch(Thread::isAlive));
    }
}
