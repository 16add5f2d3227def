package dev.lockstep.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The helper behind the contract's concurrent tests: no worker outlives a call, whichever way the call ends. */
class ConcurrentWorkersTest {

    /** Long enough for every worker to be inside its body on a busy machine; short enough to wait for. */
    private static final Duration SHORT = Duration.ofSeconds(1);
    private static final Duration LONG = Duration.ofSeconds(30);

    private final Queue<Thread> started = new ConcurrentLinkedQueue<>();

    @Test
    void returnsWhatEachWorkerReturnedInWorkerOrder() throws Exception {
        List<Integer> results = new ConcurrentWorkers(LONG, LONG).run(4, (worker, stop) -> {
            started.add(Thread.currentThread());
            return worker * 10;
        });

        assertThat(results).containsExactly(0, 10, 20, 30);
        assertNoWorkerAlive(4);
    }

    @Test
    void aBodyBlockedPastTheTimeoutIsInterruptedAndEnds() {
        AtomicInteger interrupted = new AtomicInteger();

        assertThatThrownBy(() -> new ConcurrentWorkers(SHORT, LONG).run(3, (worker, stop) -> {
            started.add(Thread.currentThread());
            awaitInterrupt(interrupted);
            return null;
        })).isInstanceOf(AssertionError.class).hasMessage("3 of 3 workers had not finished after PT1S");

        assertThat(interrupted).hasValue(3);
        assertNoWorkerAlive(3);
    }

    @Test
    void aLoopThatSwallowsInterruptsEndsAtTheStopFlag() {
        AtomicInteger stoppedByTheFlag = new AtomicInteger();

        assertThatThrownBy(() -> new ConcurrentWorkers(SHORT, LONG).run(2, (worker, stop) -> {
            started.add(Thread.currentThread());
            while (!stop.requested()) {
                Thread.interrupted(); // as a JDBC driver may: the interrupt is lost
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            stoppedByTheFlag.incrementAndGet();
            return null;
        })).isInstanceOf(AssertionError.class).hasMessage("2 of 2 workers had not finished after PT1S");

        assertThat(stoppedByTheFlag).hasValue(2);
        assertNoWorkerAlive(2);
    }

    @Test
    void theFirstWorkerThatThrowsEndsTheCallAndStopsTheOthers() {
        IllegalStateException boom = new IllegalStateException("boom");
        CountDownLatch othersWaiting = new CountDownLatch(2);
        AtomicInteger interrupted = new AtomicInteger();

        assertThatThrownBy(() -> new ConcurrentWorkers(LONG, LONG).run(3, (worker, stop) -> {
            started.add(Thread.currentThread());
            if (worker == 2) {
                othersWaiting.await();
                throw boom;
            }
            othersWaiting.countDown();
            awaitInterrupt(interrupted);
            return null;
        })).isSameAs(boom);

        assertThat(interrupted).hasValue(2);
        assertNoWorkerAlive(3);
    }

    @Test
    void aWorkerThatWillNotStopFailsTheCallNamingItsThread() {
        CountDownLatch release = new CountDownLatch(1);

        try {
            assertThatThrownBy(() -> new ConcurrentWorkers(SHORT, Duration.ofMillis(200)).run(1, (worker, stop) -> {
                started.add(Thread.currentThread());
                awaitIgnoringInterrupts(release);
                return null;
            })).isInstanceOf(AssertionError.class)
                    .hasMessageMatching(Pattern.quote("workers still running PT0.2S after they were told to stop and"
                            + " interrupted (they would run on into the next test): contract-worker-0 (") + "[A-Z_]+"
                            + Pattern.quote(") at " + ConcurrentWorkersTest.class.getName() + ".awaitIgnoringInterrupts(")
                            + ".*")
                    .cause().hasMessage("1 of 1 workers had not finished after PT1S");
        } finally {
            release.countDown();
        }
        assertNoWorkerAlive(1);
    }

    /** Blocks until the thread is interrupted, and counts the interrupt. */
    private static void awaitInterrupt(AtomicInteger interrupted) {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            interrupted.incrementAndGet();
        }
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (latch.getCount() > 0) {
            try {
                latch.await();
            } catch (InterruptedException ignored) {
                // this worker will not stop until the test lets it
            }
        }
    }

    private void assertNoWorkerAlive(int workers) {
        assertThat(started).hasSize(workers);
        await().atMost(Duration.ofSeconds(10)).until(() -> started.stream().noneMatch(Thread::isAlive));
    }
}
