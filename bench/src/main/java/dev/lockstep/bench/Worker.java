package dev.lockstep.bench;

import dev.lockstep.testsupport.ExecutionLedger;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** One worker thread's loop: claim cycles on uniformly chosen keys until the deadline, or until the cell stops it. */
final class Worker {

    /**
     * How long the holder works with the key held, the same for every subject: a pause, as when the work
     * waits on I/O, during which the other threads run (and, for an unsafe subject, can enter the window).
     * Not {@code Thread.yield()}: how long a yield gives the CPU away is the run queue's decision, not the
     * work's, and at 8 threads on one key the subject whose holder happened to wait longer lost claims
     * for it (the refusals of 7 threads fill the cores the holder waits for).
     */
    static final long WORK_NANOS = 100_000;

    private final ClaimCycle cycle;
    private final ExecutionLedger ledger;
    private final String[] keyNames;
    private final String owner;
    private final SplittableRandom random;
    private final LongSupplier nanoClock;
    private final long deadline;
    private final BooleanSupplier stopped;

    Worker(ClaimCycle cycle, ExecutionLedger ledger, String[] keyNames, String owner, long seed, LongSupplier nanoClock,
            long deadline, BooleanSupplier stopped) {
        this.cycle = cycle;
        this.ledger = ledger;
        this.keyNames = keyNames;
        this.owner = owner;
        this.random = new SplittableRandom(seed);
        this.nanoClock = nanoClock;
        this.deadline = deadline;
        this.stopped = stopped;
    }

    WorkerTally run() {
        WorkerTally tally = new WorkerTally();
        while (nanoClock.getAsLong() < deadline && !stopped.getAsBoolean()) {
            String key = keyNames[random.nextInt(keyNames.length)];
            Runnable critical = () -> {
                ledger.enter(key);
                LockSupport.parkNanos(WORK_NANOS);
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
}
