package dev.lockstep.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs a number of workers released at once, and never lets one outlive the call.
 *
 * <ol>
 *   <li>Every worker waits at one gate, so all start together.
 *   <li>The caller waits for all of them, up to {@code timeout} in total; the first worker that throws
 *       ends the wait at once.
 *   <li>On every way out (all done, a worker threw, the timeout passed, the caller was interrupted) the
 *       stop flag is raised and every worker is interrupted: a worker loop checks
 *       {@link Stop#requested()}, and a worker blocked in an interruptible wait is woken.
 *   <li>The call then waits up to {@code stopGrace} for the workers to end. A worker still alive after
 *       that is an {@link AssertionError} naming each such thread and where it is (with the failure that
 *       ended the wait as its cause), rather than a thread that runs on into the next test.
 * </ol>
 */
final class ConcurrentWorkers {

    /** One worker's work; {@code worker} is 0..threads-1. */
    @FunctionalInterface
    interface Body<T> {
        T run(int worker, Stop stop) throws Exception;
    }

    /** Raised when the call is ending: a worker that loops checks it on every round. */
    interface Stop {
        boolean requested();
    }

    private static final Pattern JDK_PACKAGES = Pattern.compile("(java|javax|jdk|sun)\\.");

    private final Duration timeout;
    private final Duration stopGrace;

    ConcurrentWorkers(Duration timeout, Duration stopGrace) {
        this.timeout = requirePositive(timeout, "timeout");
        this.stopGrace = requirePositive(stopGrace, "stopGrace");
    }

    /**
     * Runs {@code threads} workers and returns what each returned, in worker order.
     *
     * @throws Exception what the first failing worker threw
     * @throws AssertionError when the workers did not all finish within the timeout, or did not stop
     */
    <T> List<T> run(int threads, Body<T> body) throws Exception {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "contract-worker-" + workers.size());
            thread.setDaemon(true); // a worker that does not stop must not also keep the JVM alive
            workers.add(thread);
            return thread;
        });
        Throwable failure = null;
        try {
            return collect(threads, body, stop::get, pool);
        } catch (Exception | Error e) {
            failure = e;
            throw e;
        } finally {
            stop.set(true);
            pool.shutdownNow();
            awaitStopped(pool, workers, failure);
        }
    }

    private <T> List<T> collect(int threads, Body<T> body, Stop stop, ExecutorService pool) throws Exception {
        ExecutorCompletionService<T> done = new ExecutorCompletionService<>(pool);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int worker = i;
            futures.add(done.submit(() -> {
                go.await();
                return body.run(worker, stop);
            }));
        }
        go.countDown();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int finished = 0; finished < threads; finished++) {
            Future<T> next = done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                long running = futures.stream().filter(f -> !f.isDone()).count();
                throw new AssertionError(running + " of " + threads + " workers had not finished after " + timeout);
            }
            try {
                next.get();
            } catch (ExecutionException e) {
                throw unwrap(e);
            }
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    /** Waits for the stopped workers; throws, with {@code failure} as the cause, when one is still alive. */
    private void awaitStopped(ExecutorService pool, List<Thread> workers, Throwable failure) throws InterruptedException {
        if (pool.awaitTermination(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        String alive = workers.stream().filter(Thread::isAlive).map(ConcurrentWorkers::describe)
                .collect(Collectors.joining("; "));
        throw new AssertionError("workers still running " + stopGrace + " after they were told to stop and interrupted"
                + " (they would run on into the next test): " + alive, failure);
    }

    private static Exception unwrap(ExecutionException e) {
        if (e.getCause() instanceof Error error) {
            throw error;
        }
        return e.getCause() instanceof Exception cause ? cause : e;
    }

    /** The thread's name, state and innermost frame outside the JDK: enough to see what it is stuck in. */
    private static String describe(Thread thread) {
        String where = Arrays.stream(thread.getStackTrace())
                .filter(frame -> !JDK_PACKAGES.matcher(frame.getClassName()).lookingAt())
                .findFirst().map(frame -> frame.getClassName() + "." + frame.getMethodName() + "(" + frame.getFileName()
                        + ":" + frame.getLineNumber() + ")")
                .orElse("no frame outside the JDK");
        return thread.getName() + " (" + thread.getState() + ") at " + where;
    }

    private static Duration requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        return duration;
    }
}
