package dev.lockstep.core;

import java.util.Objects;

/**
 * What a cancel did. A cancel never reports a success it did not have: {@code cancelled} is true
 * only when this call's compare-and-swap moved the run from {@code statusSeen} to {@code cancelled}.
 *
 * @param runId      the run
 * @param cancelled  whether this call cancelled it
 * @param statusSeen the status the run had when this call cancelled it, or the terminal status that
 *                   made it refuse ({@code completed} or {@code cancelled})
 */
public record CancelOutcome(long runId, boolean cancelled, RunStatus statusSeen) {

    public CancelOutcome {
        Objects.requireNonNull(statusSeen, "statusSeen");
    }
}
