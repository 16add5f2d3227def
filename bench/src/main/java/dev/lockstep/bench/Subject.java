package dev.lockstep.bench;

import dev.lockstep.core.Strategy;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one benchmark cell measures: a lock-core {@link Strategy}, or a reference doing the same job
 * without lock-core.
 */
public enum Subject {
    /** lock-core's {@link Strategy#UNSAFE_NAIVE_GUARD}: the negative control, measured to show its violations. */
    NAIVE_GUARD(Strategy.UNSAFE_NAIVE_GUARD),
    PENDING_GUARD(Strategy.PENDING_INCLUSIVE_GUARD),
    RUNNING_AT_CREATION(Strategy.RUNNING_AT_CREATION),
    ADVISORY_LOCK(Strategy.ADVISORY_LOCK),
    LEASE(Strategy.ON_CONFLICT_LEASE),
    /**
     * The overhead reference: plain JDBC sending the statements running-at-creation sends — insert the
     * run already {@code running} (the partial unique index refuses a second; a refusal reads the holder,
     * as lock-core does to name it), then the fenced update to {@code completed}.
     */
    RAW_JDBC(null),
    /** The peer reference: ShedLock's {@code JdbcLockProvider} doing lock/unlock on the same keys. */
    SHEDLOCK(null);

    private final Strategy strategy;

    Subject(Strategy strategy) {
        this.strategy = strategy;
    }

    /** The lock-core strategy measured, or empty for the two references. */
    public Optional<Strategy> strategy() {
        return Optional.ofNullable(strategy);
    }

    /** True for the two references, which are measured beside the strategies and never recommended. */
    public boolean isReference() {
        return strategy == null;
    }

    /** How far a subject can be trusted under the benchmark's workload of concurrent begins. */
    public enum Safety {
        /** Safe whatever the interleaving: a violation would be a bug. */
        SAFE("yes", "safe"),
        /**
         * Safe only under a precondition the benchmark does not ensure: the pending-inclusive guard needs
         * every pre-create to commit before another start's guard of its key runs, and concurrent begins on
         * PostgreSQL can commit a pre-create after it (its documented limit). A violation is that limit.
         */
        CONDITIONAL("conditional", "conditional"),
        /** The naive guard: unsafe by design. */
        UNSAFE("NO (unsafe)", "unsafe");

        private final String tableLabel;
        private final String dataLabel;

        Safety(String tableLabel, String dataLabel) {
            this.tableLabel = tableLabel;
            this.dataLabel = dataLabel;
        }

        /** How the table shows it: {@code yes}, {@code conditional}, {@code NO (unsafe)}. */
        public String tableLabel() {
            return tableLabel;
        }

        /** How CSV and JSON give it: {@code safe}, {@code conditional}, {@code unsafe}. */
        public String dataLabel() {
            return dataLabel;
        }
    }

    /** Whether a violation by this subject would be a bug; see {@link Safety}. */
    public Safety safety() {
        return switch (this) {
            case NAIVE_GUARD -> Safety.UNSAFE;
            case PENDING_GUARD -> Safety.CONDITIONAL;
            default -> Safety.SAFE;
        };
    }

    /** False only for the naive guard: safe by design, if only under its precondition (pending-guard). */
    public boolean isSafe() {
        return safety() != Safety.UNSAFE;
    }

    /** The short name used in reports: the strategy's label, {@code raw-jdbc} or {@code shedlock}. */
    public String label() {
        return switch (this) {
            case RAW_JDBC -> "raw-jdbc";
            case SHEDLOCK -> "shedlock";
            default -> strategy.label();
        };
    }

    /** The five lock-core strategies, the unsafe one included. */
    public static Subject[] strategies() {
        return new Subject[] {NAIVE_GUARD, PENDING_GUARD, RUNNING_AT_CREATION, ADVISORY_LOCK, LEASE};
    }

    /** The subject whose {@link #label()} is {@code label}. */
    public static Subject fromLabel(String label) {
        for (Subject subject : values()) {
            if (subject.label().equals(label)) {
                return subject;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + label + "'; known: "
                + Arrays.stream(values()).map(Subject::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label();
    }
}
