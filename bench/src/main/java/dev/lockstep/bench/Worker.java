package dev.lockstep.bench;

import dev.lockstep.testsupport.ExecutionLedger;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One worker thread's loop: claim cycles on uniformly chosen keys until the deadline, or until the cell stops it;
 * each claim is held for the cell's work, in the execution ledger.
 */
final class Worker {

    private final ClaimCycle cycle;
    private final ExecutionLedger ledger;
    private final String[] keyNames;
    private final String owner;
    private final SplittableRandom random;
    private final LongSupplier nanoClock;
    private final long deadline;
    private final long workNanos;
    private final BooleanSupplier stopped;

    Worker(ClaimCycle cycle, ExecutionLedger ledger, String[] keyNames, String owner, long seed, LongSupplier nanoClock,
            long deadline, long workNanos, BooleanSupplier stopped) {
        this.cycle = cycle;
        this.ledger = ledger;
        this.keyNames = keyNames;
        this.owner = owner;
        this.random = new SplittableRandom(seed);
        this.nanoClock = nanoClock;
        this.deadline = deadline;
        this.workNanos = workNanos;
        this.stopped = stopped;
    }

    WorkerTally run() {
        WorkerTally tally = new WorkerTally();
        while (nanoClock.getAsLong() < deadline && !stopped.getAsBoolean()) {
            String key = keyNames[random.nextInt(keyNames.length)];
            Runnable critical = () -> {
                ledger.enter(key);
                work();
                ledger.leave(key);
            };
            tally.attempted();
            long begun = nanoClock.getAsLong();
            try {
                if (cycle.attempt(key, owner, critical)) {
                    tally.claimed();
                } else {
                    tally.rejected();
                }
            } catch (Exception e) {
                tally.failed(e);
            }
            tally.latency(nanoClock.getAsLong() - begun);
        }
        return tally;
    }

    /**
     * Holds the key for {@code workNanos} at least, parked (a park may end early; it is taken again for what is
     * left, unless the thread is interrupted). Parked, not {@code Thread.yield()}: how long a yield gives the CPU
     * away is the run queue's choice, and at 8 threads on one key it decided the holder's time for it, more
     * for one subject than for another; a park is the same work for every subject.
     */
    private void work() {
        long until = System.nanoTime() + workNanos;
        for (long left = workNanos; left > 0 && !Thread.currentThread().isInterrupted(); left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
