package dev.lockstep.bench;

import dev.lockstep.core.ContentionException;
import dev.lockstep.core.DatabaseException;
import dev.lockstep.core.LockstepException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The outcome of every call of a soak, shared by its workers: per operation, how often each outcome was
 * seen ({@code ok}, a result such as {@code none}, or the exception's simple name, with the SQLSTATE for
 * a {@link DatabaseException}). A {@link LockstepException} is lock-core's typed refusal and expected under
 * contention; a {@code DatabaseException} (a deadlock, 40P01, is one) or anything else is unexpected.
 */
final class SoakTally {

    private final Map<SoakOperation, Map<String, LongAdder>> outcomes = new EnumMap<>(SoakOperation.class);
    private final Map<String, LongAdder> unexpected = new ConcurrentHashMap<>();
    private final Map<String, String> firstUnexpected = new ConcurrentHashMap<>();

    SoakTally() {
        for (SoakOperation operation : SoakOperation.values()) {
            outcomes.put(operation, new ConcurrentHashMap<>());
        }
    }

    void outcome(SoakOperation operation, String outcome) {
        outcomes.get(operation).computeIfAbsent(outcome, o -> new LongAdder()).increment();
    }

    void failed(SoakOperation operation, Throwable e) {
        String name = outcomeOf(e);
        outcome(operation, name);
        if (isUnexpected(e)) {
            String kind = operation.label() + ": " + name;
            firstUnexpected.putIfAbsent(kind, WorkerTally.describe(e));
            unexpected.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }
    }

    /**
     * Whether {@code e} is anything but lock-core's typed refusal. A {@link ContentionException} is lock-core
     * giving up after retrying deadlocks or lost swaps: its own operations cannot deadlock each other, so in
     * a soak of lock-core alone it is a failure, not an outcome.
     */
    static boolean isUnexpected(Throwable e) {
        return !(e instanceof LockstepException) || e instanceof DatabaseException || e instanceof ContentionException;
    }

    static String outcomeOf(Throwable e) {
        if (e instanceof DatabaseException database && database.sqlState() != null) {
            return "DatabaseException " + database.sqlState();
        }
        return e.getClass().getSimpleName();
    }

    /** Per operation that was called, in {@link SoakOperation} order: outcome to count, most frequent first. */
    Map<SoakOperation, Map<String, Long>> outcomes() {
        Map<SoakOperation, Map<String, Long>> copy = new LinkedHashMap<>();
        outcomes.forEach((operation, counts) -> {
            if (!counts.isEmpty()) {
                copy.put(operation, sorted(counts));
            }
        });
        return copy;
    }

    /** Unexpected exceptions by kind, {@code operation: outcome}, to count, most frequent first. */
    Map<String, Long> unexpected() {
        return sorted(unexpected);
    }

    /** The first exception seen of each unexpected kind: its class and the first line of its message. */
    Map<String, String> firstUnexpected() {
        return Map.copyOf(firstUnexpected);
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> counts) {
        Map<String, Long> byName = new TreeMap<>();
        counts.forEach((name, count) -> byName.put(name, count.sum()));
        List<Map.Entry<String, Long>> entries = new ArrayList<>(byName.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        Map<String, Long> result = new LinkedHashMap<>();
        entries.forEach(entry -> result.put(entry.getKey(), entry.getValue()));
        return result;
    }
}
