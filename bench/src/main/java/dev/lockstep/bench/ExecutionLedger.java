package dev.lockstep.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Who is executing under each key, in memory, beside the database: a holder enters after its acquire
 * returned and leaves before it releases. Entering while another holder of the same key is inside is a
 * violation of "at most one active run per key" that the database let through.
 */
final class ExecutionLedger {

    private final AtomicIntegerArray holders;
    private final LongAdder violations = new LongAdder();

    ExecutionLedger(int keys) {
        this.holders = new AtomicIntegerArray(keys);
    }

    void enter(int key) {
        if (holders.incrementAndGet(key) > 1) {
            violations.increment();
        }
    }

    void leave(int key) {
        holders.decrementAndGet(key);
    }

    long violations() {
        return violations.sum();
    }
}
