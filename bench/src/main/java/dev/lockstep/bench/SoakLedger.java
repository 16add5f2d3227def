package dev.lockstep.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Who executes under each key, in memory, beside the database: the soak's check that two executions of
 * one key never overlap.
 *
 * <ol>
 *   <li>A holder executes only after a fenced write of its claim succeeded: it {@link #enter}s with the
 *       claim and the time just before that write began, and {@link #leave}s before its next write.
 *   <li>Entering while another execution of the same key is inside is an overlap. It is allowed, and
 *       counted apart, in two cases where lock-core's guarantee lets the key go while an executor is still
 *       inside: the other's fenced write began more than {@code staleAfter} ago (it may be stale, and a
 *       takeover is what staleness is for; fencing refuses its next write), or one of the two runs was
 *       cancelled (a cancel frees the key at once; the executor learns at its next write).
 *   <li>A cancel is announced before it is sent ({@link #cancelling}) and settled when it returns
 *       ({@link #cancelled}): overlaps with its run seen meanwhile are violations unless the cancel
 *       really moved the run from an active status.
 *   <li>Every other overlap is a violation of "at most one active run per key".
 * </ol>
 */
final class SoakLedger {

    /** How many violations are described in the report; the rest are only counted. */
    static final int DESCRIBED = 5;

    /** One execution: a claim's holder inside the ledger since its fenced write began at {@code writtenNanos}. */
    record Execution(String key, long runId, long fence, String worker, long writtenNanos) {
        String describe() {
            return "run " + runId + " (fence " + fence + ", " + worker + ")";
        }
    }

    private final long staleAfterNanos;
    private final LongSupplier nanoClock;
    private final Map<String, List<Execution>> inside = new ConcurrentHashMap<>();
    private final Set<Long> executedRuns = ConcurrentHashMap.newKeySet();
    private final Set<Long> cancelling = ConcurrentHashMap.newKeySet();
    private final Set<Long> cancelledWhileActive = ConcurrentHashMap.newKeySet();
    private final Map<Long, List<String>> awaitingCancel = new ConcurrentHashMap<>();
    private final LongAdder executions = new LongAdder();
    private final LongAdder violations = new LongAdder();
    private final LongAdder staleOverlaps = new LongAdder();
    private final LongAdder cancelledOverlaps = new LongAdder();
    private final List<String> described = new ArrayList<>();

    SoakLedger(long staleAfterNanos, LongSupplier nanoClock) {
        this.staleAfterNanos = staleAfterNanos;
        this.nanoClock = nanoClock;
    }

    /** The holder of {@code runId} with {@code fence} starts executing; its fenced write began at {@code writtenNanos}. */
    Execution enter(String key, long runId, long fence, String worker, long writtenNanos) {
        Execution entering = new Execution(key, runId, fence, worker, writtenNanos);
        List<Execution> here = inside.computeIfAbsent(key, k -> new ArrayList<>());
        synchronized (here) {
            long now = nanoClock.getAsLong();
            for (Execution other : here) {
                judge(entering, other, now);
            }
            here.add(entering);
        }
        executions.increment();
        executedRuns.add(runId);
        return entering;
    }

    void leave(Execution execution) {
        List<Execution> here = inside.get(execution.key());
        synchronized (here) {
            here.remove(execution);
        }
    }

    /** A cancel of {@code runId} is about to be sent. */
    void cancelling(long runId) {
        cancelling.add(runId);
    }

    /** The cancel of {@code runId} returned; {@code movedActiveRun} if it moved the run from running or paused. */
    void cancelled(long runId, boolean movedActiveRun) {
        List<String> waiting;
        synchronized (this) {
            if (movedActiveRun) {
                cancelledWhileActive.add(runId);
            }
            cancelling.remove(runId);
            waiting = awaitingCancel.remove(runId);
        }
        if (waiting != null) {
            for (String overlap : waiting) {
                if (movedActiveRun) {
                    cancelledOverlaps.increment();
                } else {
                    violation(overlap);
                }
            }
        }
    }

    private void judge(Execution a, Execution b, long now) {
        if (a.runId() == b.runId() && a.fence() == b.fence()) {
            return; // the same claim twice cannot happen: a worker enters once per fenced write
        }
        if (now - a.writtenNanos() > staleAfterNanos || now - b.writtenNanos() > staleAfterNanos) {
            staleOverlaps.increment();
            return;
        }
        String overlap = "key '" + a.key() + "': " + b.describe() + " and " + a.describe() + " executing at once";
        synchronized (this) {
            if (cancelledWhileActive.contains(a.runId()) || cancelledWhileActive.contains(b.runId())) {
                cancelledOverlaps.increment();
                return;
            }
            long pending = cancelling.contains(a.runId()) ? a.runId() : cancelling.contains(b.runId()) ? b.runId() : 0;
            if (pending != 0) {
                awaitingCancel.computeIfAbsent(pending, id -> new ArrayList<>()).add(overlap);
                return;
            }
        }
        violation(overlap);
    }

    private void violation(String overlap) {
        violations.increment();
        synchronized (described) {
            if (described.size() < DESCRIBED) {
                described.add(overlap);
            }
        }
    }

    long executions() {
        return executions.sum();
    }

    Set<Long> executedRuns() {
        return Set.copyOf(executedRuns);
    }

    long violations() {
        return violations.sum();
    }

    long staleOverlaps() {
        return staleOverlaps.sum();
    }

    long cancelledOverlaps() {
        return cancelledOverlaps.sum();
    }

    List<String> describedViolations() {
        synchronized (described) {
            return List.copyOf(described);
        }
    }
}
