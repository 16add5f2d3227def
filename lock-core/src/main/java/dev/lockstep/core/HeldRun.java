package dev.lockstep.core;

import dev.lockstep.core.internal.KeepAlive;

/**
 * What the work of a managed execution ({@link Coordinator#execute}, {@link Coordinator#executeNextPending})
 * gets: its claim, and whether it still holds the run. The coordinator heartbeats the run meanwhile and
 * completes or fails it when the work ends.
 *
 * <p>A lost claim is only signalled, never forced on the work: it is not interrupted, because interrupting a
 * thread inside a JDBC call can break its connection. Work that runs for long asks {@link #ensureHeld()}
 * between steps, and fences its own writes with {@link #claim()} where it can.
 */
public final class HeldRun {

    /**
     * The work of a managed execution.
     *
     * @param <T> what it returns
     * @param <E> what it may throw; the execution rethrows it unchanged
     */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run(HeldRun run) throws E;
    }

    private final KeepAlive keepAlive;

    HeldRun(KeepAlive keepAlive) {
        this.keepAlive = keepAlive;
    }

    /** The claim the execution holds the run with; a write of its own carrying it is refused once the claim is lost. */
    public Claim claim() {
        return keepAlive.claim();
    }

    /**
     * Whether the execution still holds the run: false once a heartbeat was refused (the run was cancelled or
     * taken over), after {@value KeepAlive#MISSES_BEFORE_LOSS} heartbeats in a row failed, or once no
     * heartbeat has succeeded for 2/3 of {@code staleAfter}. Once false, always false. Cheap: no round trip.
     */
    public boolean isHeld() {
        return keepAlive.held();
    }

    /**
     * Returns if the execution still holds the run (see {@link #isHeld()}).
     *
     * @throws ClaimLostException the claim is lost; its cause is the heartbeat's refusal or last failure
     */
    public void ensureHeld() {
        var loss = keepAlive.loss();
        if (loss.isPresent()) {
            throw loss.get();
        }
    }

    @Override
    public String toString() {
        return "HeldRun[" + claim() + (isHeld() ? ", held]" : ", lost]");
    }
}
