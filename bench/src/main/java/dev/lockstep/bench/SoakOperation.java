package dev.lockstep.bench;

/**
 * What a soak worker does in one step: a lock-core call, or {@link #DIE}, a holder that stops without a
 * word. Reports list them in this order.
 */
public enum SoakOperation {
    /** {@code begin}: create a run and start it at once. */
    BEGIN("begin"),
    /** {@code create}: a pending run, to be started by its creator or claimed by an executor. */
    CREATE("create"),
    /** {@code start} of a run this worker has just created. */
    START("start"),
    /** {@code claimNextPending}: the oldest pending run whose key is free. */
    CLAIM_NEXT("claim-next"),
    /** {@code resume} of a failed or paused run. */
    RESUME("resume"),
    /** {@code resume} of a running run whose holder died: succeeds once it is stale. */
    TAKEOVER("takeover"),
    /** {@code heartbeat}: the fenced write after which the holder executes. */
    HEARTBEAT("heartbeat"),
    PAUSE("pause"),
    COMPLETE("complete"),
    FAIL("fail"),
    /** {@code cancel} of a run that is pending, paused, failed or abandoned (and may have been started since). */
    CANCEL("cancel"),
    /** Not a call: the holder abandons its claim without completing it or heartbeating again. */
    DIE("die");

    private final String label;

    SoakOperation(String label) {
        this.label = label;
    }

    /** The name reports use, e.g. {@code claim-next}. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
