package dev.lockstep.core;

/**
 * What a start does when another run already holds the key, after Temporal's workflow-id conflict
 * policies. Whatever the policy, the database never ends up with two active runs of one key.
 */
public enum ConflictPolicy {
    /** Refuse: the run being started is cancelled and {@link AlreadyActiveException} names the holder. */
    FAIL,
    /** Do not start: the run being started is cancelled and the holder is returned as {@link StartResult.Existing}. */
    USE_EXISTING,
    /** Cancel the holder and start this run, in one transaction. */
    CANCEL_EXISTING
}
