package dev.lockstep.core.internal;

import dev.lockstep.core.Claim;
import dev.lockstep.core.ClaimLostException;
import dev.lockstep.core.InvalidTransitionException;
import dev.lockstep.core.RunNotFoundException;
import dev.lockstep.core.StaleFenceException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps one claimed run fresh while a managed execution's work runs, and decides when the claim is lost.
 *
 * <ol>
 *   <li>A daemon thread of its own, {@code lockstep-heartbeat-run-<id>}, sends a fenced heartbeat every
 *       {@code staleAfter / 3}, the first one period after the claim was asked for.
 *   <li>A heartbeat the database refuses (the fence grew, the run is no longer {@code running}, the run is
 *       gone) loses the claim at once.
 *   <li>A heartbeat that fails otherwise (connection lost, lock or statement timeout) is retried at the
 *       next tick; {@value #MISSES_BEFORE_LOSS} failures in a row lose the claim.
 *   <li>Whatever the failures look like, even a heartbeat that hangs, the claim counts as lost once
 *       {@code 2 × staleAfter / 3} has passed since the last heartbeat that succeeded was <em>sent</em> (or
 *       since the claim was asked for): the database stamped that heartbeat no earlier than it was sent, so
 *       the run cannot be stale yet, and the work learns of the loss a third of {@code staleAfter} before
 *       anyone can take the run over.
 *   <li>Once lost, the claim stays lost and the heartbeats stop.
 * </ol>
 *
 * <p>One thread per execution rather than one per coordinator: a coordinator has no lifecycle to stop a
 * shared thread with, a hung heartbeat of one run cannot delay another's, and {@link #close} leaves no
 * thread behind on any way out of the execution. Starting a thread costs far less than the round trips
 * of the begin and complete around it.
 */
public final class KeepAlive implements AutoCloseable {

    /** Consecutive heartbeats that fail for a transient reason before the claim counts as lost. */
    public static final int MISSES_BEFORE_LOSS = 2;

    private final Claim claim;
    private final Duration staleAfter;
    private final Consumer<Claim> heartbeat;
    private final LongSupplier nanoClock;
    private final long lossAfterNanos;
    private final ScheduledThreadPoolExecutor thread;
    private volatile Thread heartbeatThread;

    // guarded by this
    private long freshSinceNanos;
    private int misses;
    private RuntimeException lastFailure;
    private Loss lost;

    /** Why the claim was lost, kept to build a new exception, with the caller's stack, on every ask. */
    private record Loss(String why, RuntimeException cause) {}

    private KeepAlive(Claim claim, Duration staleAfter, LongSupplier nanoClock, long requestedAtNanos, Consumer<Claim> heartbeat) {
        this.claim = claim;
        this.staleAfter = staleAfter;
        this.heartbeat = heartbeat;
        this.nanoClock = nanoClock;
        this.freshSinceNanos = requestedAtNanos;
        long periodNanos = Math.max(1, staleAfter.toNanos() / 3);
        this.lossAfterNanos = 2 * periodNanos;
        this.thread = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "lockstep-heartbeat-run-" + claim.runId());
            t.setDaemon(true);
            heartbeatThread = t;
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
        // a period after the claim was asked for, not after it was granted: a slow begin must not delay the first beat
        long firstNanos = Math.max(0, requestedAtNanos + periodNanos - nanoClock.getAsLong());
        thread.scheduleWithFixedDelay(this::beat, firstNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Starts heartbeating {@code claim}.
     *
     * @param nanoClock        a monotonic clock in nanoseconds, {@code System::nanoTime} but in tests
     * @param requestedAtNanos {@code nanoClock}'s time just before the claim was asked for: the run's last
     *                         activity is no older than this
     * @param heartbeat        the fenced heartbeat; throws what {@code Coordinator.heartbeat} throws
     */
    public static KeepAlive start(Claim claim, Duration staleAfter, LongSupplier nanoClock, long requestedAtNanos,
            Consumer<Claim> heartbeat) {
        return new KeepAlive(claim, staleAfter, nanoClock, requestedAtNanos, heartbeat);
    }

    public Claim claim() {
        return claim;
    }

    /** Whether the claim still holds: {@link #loss()} is empty. */
    public boolean held() {
        return judge() == null;
    }

    /** Why the claim is lost, if it is; judged anew on every call, and final once lost. */
    public Optional<ClaimLostException> loss() {
        Loss loss = judge();
        return loss == null ? Optional.empty() : Optional.of(new ClaimLostException(claim, loss.why(), loss.cause()));
    }

    private synchronized Loss judge() {
        if (lost == null && nanoClock.getAsLong() - freshSinceNanos >= lossAfterNanos) {
            lost = new Loss("no heartbeat succeeded for " + Duration.ofNanos(lossAfterNanos) + " (2/3 of staleAfter "
                    + staleAfter + "), so the run may be stale and taken over soon", lastFailure);
        }
        return lost;
    }

    private void beat() {
        if (!held()) {
            thread.shutdown();
            return;
        }
        long sent = nanoClock.getAsLong();
        try {
            heartbeat.accept(claim);
            succeeded(sent);
        } catch (StaleFenceException | InvalidTransitionException | RunNotFoundException refused) {
            lose("a heartbeat was refused", refused);
        } catch (RuntimeException failure) {
            missed(failure);
        }
    }

    private synchronized void succeeded(long sentNanos) {
        if (lost == null) {
            freshSinceNanos = sentNanos;
            misses = 0;
            lastFailure = null;
        }
    }

    private synchronized void missed(RuntimeException failure) {
        misses++;
        lastFailure = failure;
        if (misses >= MISSES_BEFORE_LOSS) {
            lose(misses + " heartbeats in a row failed", failure);
        } else {
            judge();
        }
    }

    private synchronized void lose(String why, RuntimeException cause) {
        if (lost == null) {
            lost = new Loss(why, cause);
        }
        thread.shutdown();
    }

    /**
     * Stops the heartbeats and waits for the thread to end: a heartbeat in flight is let finish (interrupting
     * a thread inside a JDBC call can break its connection), for up to {@code staleAfter}, then interrupted.
     * A caller interrupted meanwhile interrupts the heartbeat at once but still waits for its thread, and
     * keeps its interrupt status. Idempotent.
     */
    @Override
    public void close() {
        thread.shutdown();
        boolean interrupted = false;
        try {
            if (!ended(staleAfter.toNanos())) {
                thread.shutdownNow();
                ended(TimeUnit.SECONDS.toNanos(10));
            }
        } catch (InterruptedException e) {
            interrupted = true;
            thread.shutdownNow();
            try {
                ended(TimeUnit.SECONDS.toNanos(10));
            } catch (InterruptedException again) {
                // interrupted twice: give up waiting; the thread is a daemon and ends with its heartbeat
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the thread ended within {@code nanos}: terminated is signalled just before the thread itself ends. */
    private boolean ended(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        if (!thread.awaitTermination(nanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        Thread t = heartbeatThread;
        if (t != null) {
            TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, deadline - System.nanoTime()));
            return !t.isAlive();
        }
        return true;
    }
}
