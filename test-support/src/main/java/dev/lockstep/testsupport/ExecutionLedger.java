package dev.lockstep.testsupport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Who is executing under each key, in memory, beside the database: what "executing" means in a
 * concurrency test. A holder enters after lock-core gave it the key and leaves before it gives the key
 * back (completes, fails or pauses its run). Entering while another holder of the same key is inside is
 * a violation of "at most one active run per key" that the database let through; the ledger counts
 * them and the most holders of one key it saw inside at once, which every safe strategy keeps at one.
 * Thread-safe.
 */
public final class ExecutionLedger {

    private final Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();
    private final AtomicInteger maxConcurrentPerKey = new AtomicInteger();
    private final LongAdder violations = new LongAdder();

    /** A holder of {@code key} starts executing. */
    public void enter(String key) {
        int now = inside.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        if (now > 1) {
            violations.increment();
        }
        if (now > maxConcurrentPerKey.get()) {
            maxConcurrentPerKey.accumulateAndGet(now, Math::max);
        }
    }

    /** A holder of {@code key} stops executing; it must have entered. */
    public void leave(String key) {
        AtomicInteger holders = inside.get(key);
        if (holders == null || holders.decrementAndGet() < 0) {
            throw new IllegalStateException("left key '" + key + "' without entering it");
        }
    }

    /** How many times a holder entered a key another holder was inside. */
    public long violations() {
        return violations.sum();
    }

    /** The most holders of one key inside at once (0 before anyone entered). */
    public int maxConcurrentPerKey() {
        return maxConcurrentPerKey.get();
    }
}
