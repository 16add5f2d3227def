package dev.lockstep.bench;

import dev.lockstep.testsupport.ExecutionLedger;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** One worker thread's loop: claim cycles on uniformly chosen keys until the deadline, or until the cell stops it. */
final class Worker {

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
                Thread.yield(); // lets another thread run inside the window, as real work would
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
