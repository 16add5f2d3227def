package dev.lockstep.core;

import java.util.Locale;

/** The status of a run. The text stored in the {@code status} column is the lower-case name. */
public enum RunStatus {
    /** Created, not yet started. Holds no key (except a fresh one under the pending-inclusive guard). */
    PENDING,
    /** Executing; holds its key. */
    RUNNING,
    /** Stopped by its holder on purpose; still holds its key until resumed, completed or cancelled. */
    PAUSED,
    /** Stopped by an error; releases its key but may be resumed. */
    FAILED,
    /** Finished successfully. Terminal. */
    COMPLETED,
    /** Cancelled. Terminal. */
    CANCELLED;

    /** Whether a run in this status holds its key: {@code running} or {@code paused}. */
    public boolean isActive() {
        return this == RUNNING || this == PAUSED;
    }

    /** Whether nothing can change a run in this status any more: {@code completed} or {@code cancelled}. */
    public boolean isTerminal() {
        return this == COMPLETED || this == CANCELLED;
    }

    /** The text stored in the database. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status whose stored text is {@code value}. */
    public static RunStatus fromDb(String value) {
        for (RunStatus status : values()) {
            if (status.dbValue().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown run status '" + value + "' in the runs table's status column");
    }

    @Override
    public String toString() {
        return dbValue();
    }
}
