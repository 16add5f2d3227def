package dev.lockstep.core.internal.strategy;

import dev.lockstep.core.internal.RunRow;
import java.util.Optional;

/** What an attempt to make a run hold its key came to. */
public sealed interface Acquisition {

    /** The run is now {@code running} with this fence. */
    record Acquired(long runId, long fence) implements Acquisition {}

    /**
     * Another run holds the key. {@code runId} is the refused run (0 when a refused begin created no
     * row); {@code holder} is empty when the strategy only learned that some run holds the key (a
     * unique violation), and the coordinator looks it up.
     */
    record Held(long runId, Optional<RunRow> holder) implements Acquisition {}

    /**
     * Claim-next only: another call holds the key's lock right now, so the key was skipped without
     * waiting; nothing was written.
     */
    record Busy(long runId) implements Acquisition {}

    /** The run's status or fence changed since it was read; nothing was written. */
    record Lost(long runId) implements Acquisition {}

    /** Whether {@code a} is {@link Acquired}: the condition for committing a transaction around an acquisition. */
    static boolean acquired(Acquisition a) {
        return a instanceof Acquired;
    }
}
