package dev.lockstep.harness.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** More busy threads than cores, started by the test and stopped (and joined) when it ends. */
final class CpuLoad implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger spins = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    static CpuLoad start() {
        CpuLoad load = new CpuLoad();
        int count = 2 * Runtime.getRuntime().availableProcessors() + 2;
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(load::spin, "cpu-load-" + i);
            thread.setDaemon(true);
            load.threads.add(thread);
            thread.start();
        }
        return load;
    }

    private void spin() {
        long x = 0;
        while (!stop.get()) {
            for (int i = 0; i < 100_000; i++) {
                x += i ^ (x >>> 3);
            }
            spins.incrementAndGet();
        }
        if (x == 42) {
            spins.incrementAndGet(); // keeps the loop from being optimized away
        }
    }

    int spins() {
        return spins.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(10_000);
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not stop");
            }
        }
    }
}
