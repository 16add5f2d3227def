package dev.lockstep.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A fixed pool of daemon worker threads, named {@code <prefix>-1}, {@code <prefix>-2}, ..., that can be
 * stopped within a bound — also by a caller that was interrupted (Ctrl-C), whose workers must still be
 * stopped before their tables go — and that names the threads still running after it.
 */
final class WorkerThreads {

    private static final int FRAMES_SHOWN = 12;

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ExecutorService executor;

    WorkerThreads(String prefix, int count) {
        this.executor = Executors.newFixedThreadPool(count, task -> {
            Thread thread = new Thread(task, prefix + "-" + (threads.size() + 1));
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        });
    }

    ExecutorService executor() {
        return executor;
    }

    /**
     * Lets the workers finish (interrupting them if {@code interrupt}), waits up to {@code grace} for them to return, even when the calling thread is
     * interrupted (its interrupt status is kept), and describes those still running: name and innermost frames.
     */
    List<String> stop(Duration grace, boolean interrupt) {
        if (interrupt) {
            executor.shutdownNow();
        } else {
            executor.shutdown();
        }
        boolean interrupted = Thread.interrupted();
        long until = System.nanoTime() + grace.toNanos();
        boolean stopped = false;
        for (long left = grace.toNanos(); !stopped && left > 0; left = until - System.nanoTime()) {
            try {
                stopped = executor.awaitTermination(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (stopped) {
            return List.of(); // a thread that has returned may be alive for a moment longer: it is not running anything
        }
        return threads.stream().filter(Thread::isAlive).map(WorkerThreads::whereItIs).toList();
    }

    private static String whereItIs(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return thread.getName() + " (in " + Arrays.stream(stack).limit(FRAMES_SHOWN).map(StackTraceElement::toString)
                .collect(Collectors.joining(" < ")) + (stack.length > FRAMES_SHOWN ? " < ..." : "") + ")";
    }
}
