package dev.lockstep.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How "at most one active run per key" is enforced. Every strategy supports the same lifecycle;
 * they differ in what they need from the database and in their limits (see the README's table).
 */
public enum Strategy {

    /**
     * The original bug, kept as a negative control: the guard sees only {@code running} and
     * {@code paused} runs, so two starts that interleave check-check-update-update both win.
     * <strong>Never use it in production.</strong>
     */
    UNSAFE_NAIVE_GUARD("naive-guard", false),

    /**
     * The guard also counts fresh {@code pending} runs created before this one; the older run wins and
     * the younger cancels itself. Safe only while every pre-created run is committed before any guard
     * of its key runs, and while pending runs are started within {@code staleAfter}. Concurrent begins of one
     * key do not ensure the first: a begin's row is stamped when its insert runs and seen when it commits, and
     * a busy machine can fit another begin's guard between the two.
     */
    PENDING_INCLUSIVE_GUARD("pending-guard", true),

    /**
     * A partial unique index on {@code (run_key) WHERE status IN ('running', 'paused')} makes the
     * database refuse a second active run; {@code begin} inserts the run already {@code running}.
     */
    RUNNING_AT_CREATION("running-at-creation", true),

    /**
     * Guard and transition run in one transaction that holds a lock on the key:
     * {@code pg_advisory_xact_lock} on PostgreSQL, {@code BEGIN IMMEDIATE} on SQLite.
     */
    ADVISORY_LOCK("advisory-lock", true),

    /**
     * A lease row per key, taken with {@code INSERT ... ON CONFLICT} only while free, in the same
     * transaction as the transition; its fence grows on every take and takeover.
     */
    ON_CONFLICT_LEASE("lease", true);

    private final String label;
    private final boolean safe;

    Strategy(String label, boolean safe) {
        this.label = label;
        this.safe = safe;
    }

    /** The short name used on the command line and in reports, e.g. {@code advisory-lock}. */
    public String label() {
        return label;
    }

    /** False only for {@link #UNSAFE_NAIVE_GUARD}. */
    public boolean isSafe() {
        return safe;
    }

    /** The strategy whose {@link #label()} or enum name is {@code name}. */
    public static Strategy fromLabel(String name) {
        for (Strategy strategy : values()) {
            if (strategy.label.equals(name) || strategy.name().equals(name.toUpperCase(Locale.ROOT).replace('-', '_'))) {
                return strategy;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + name + "'; known: "
                + Arrays.stream(values()).map(Strategy::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
