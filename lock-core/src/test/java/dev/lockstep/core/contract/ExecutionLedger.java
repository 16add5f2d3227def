package dev.lockstep.core.contract;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What "executing" means in the concurrency tests: a run that won its key enters the ledger, does
 * its work (a heartbeat: a real round trip while holding the key), and leaves before it completes. The ledger counts how many runs of one key were inside
 * at once, which is the property every safe strategy promises to keep at one.
 */
final class ExecutionLedger {

    private final Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();
    private final AtomicInteger maxConcurrentPerKey = new AtomicInteger();
    private final LongAdder doubleExecutions = new LongAdder();

    void enter(String key) {
        int now = inside.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        maxConcurrentPerKey.accumulateAndGet(now, Math::max);
        if (now > 1) {
            doubleExecutions.increment();
        }
    }

    void exit(String key) {
        inside.get(key).decrementAndGet();
    }

    int maxConcurrentPerKey() {
        return maxConcurrentPerKey.get();
    }

    long doubleExecutions() {
        return doubleExecutions.sum();
    }
}
