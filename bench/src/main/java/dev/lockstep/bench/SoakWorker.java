package dev.lockstep.bench;

import dev.lockstep.bench.SoakPools.Pool;
import dev.lockstep.core.CancelOutcome;
import dev.lockstep.core.Claim;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.InvalidTransitionException;
import dev.lockstep.core.NotResumableException;
import dev.lockstep.core.Run;
import dev.lockstep.core.RunNotFoundException;
import dev.lockstep.core.RunStatus;
import dev.lockstep.core.StaleFenceException;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One soak worker: a service's executor, mixing every lifecycle call on uniformly chosen keys until the
 * deadline.
 *
 * <ol>
 *   <li>Holding nothing, it tries to get a run: {@code begin} 25%, create then {@code start} 15%, create
 *       one for dispatch 8%, {@code claimNextPending} 18%, {@code resume} a paused or failed run 12%, take
 *       over a dead holder's run 10%, {@code cancel} a run handed around 12% (an empty pool means a
 *       {@code begin} instead).
 *   <li>Holding a run, it first heartbeats and executes; then heartbeat and execute 56%, {@code complete}
 *       22%, {@code fail} 10%, {@code pause} 10% (the run goes to the pool of paused runs for anyone to
 *       resume), or dies 2%: it forgets the claim without a word, and the run waits in its pool until it is
 *       stale and someone takes it over.
 *   <li>It executes only after a fenced write (the heartbeat) succeeded: it enters the {@link SoakLedger}
 *       with the claim, yields (the work), and leaves before its next write.
 *   <li>A refusal ({@code LockstepException}) is an outcome, counted by name; a claim refused by its run
 *       (stale fence, not running, not found) is dropped, one that may still hold (a timeout, a database
 *       error) is handed to the dead holders' pool, so the run is taken over once stale.
 * </ol>
 * The runs a {@code begin} creates are named after the call ({@code begin-<worker>-<n>}), and the call's
 * result is recorded, so a run executed although its begin did not return it shows as an orphan.
 */
final class SoakWorker {

    private final Coordinator coordinator;
    private final SoakLedger ledger;
    private final SoakPools pools;
    private final SoakTally tally;
    private final Map<String, Long> beginResults;
    private final String[] keys;
    private final String name;
    private final SplittableRandom random;
    private final LongSupplier nanoClock;
    private final long deadline;
    private final BooleanSupplier stopped;
    private Claim held;
    private boolean executed;
    private long calls; // made so far; numbers the runs this worker creates, so their names are unique

    SoakWorker(Coordinator coordinator, SoakLedger ledger, SoakPools pools, SoakTally tally, Map<String, Long> beginResults,
            String[] keys, String name, long seed, LongSupplier nanoClock, long deadline, BooleanSupplier stopped) {
        this.coordinator = coordinator;
        this.ledger = ledger;
        this.pools = pools;
        this.tally = tally;
        this.beginResults = beginResults;
        this.keys = keys;
        this.name = name;
        this.random = new SplittableRandom(seed);
        this.nanoClock = nanoClock;
        this.deadline = deadline;
        this.stopped = stopped;
    }

    void run() {
        while (nanoClock.getAsLong() < deadline && !stopped.getAsBoolean()) {
            if (held == null) {
                acquire();
            } else {
                hold();
            }
        }
    }

    private void acquire() {
        int roll = random.nextInt(100);
        if (roll < 25) {
            begin();
        } else if (roll < 40) {
            createAndStart();
        } else if (roll < 48) {
            Run run = call(SoakOperation.CREATE, () -> coordinator.create(key(), runName("submit")));
            if (run != null) {
                tally.outcome(SoakOperation.CREATE, "ok");
                pools.put(Pool.PENDING, run.id());
            }
        } else if (roll < 66) {
            Optional<Claim> claim = call(SoakOperation.CLAIM_NEXT, () -> coordinator.claimNextPending(name));
            if (claim != null) {
                tally.outcome(SoakOperation.CLAIM_NEXT, claim.isPresent() ? "ok" : "none");
                claim.ifPresent(this::got);
            }
        } else if (roll < 78) {
            pools.takeAny(random, Pool.PAUSED, Pool.FAILED).ifPresentOrElse(t -> resume(SoakOperation.RESUME, t), this::begin);
        } else if (roll < 88) {
            pools.takeAny(random, Pool.ABANDONED).ifPresentOrElse(t -> resume(SoakOperation.TAKEOVER, t), this::begin);
        } else {
            pools.takeAny(random, Pool.PENDING, Pool.PAUSED, Pool.FAILED, Pool.ABANDONED).ifPresentOrElse(this::cancel, this::begin);
        }
    }

    private void hold() {
        int roll = random.nextInt(100);
        if (!executed || roll < 56) {
            heartbeatAndExecute();
        } else if (roll < 78) {
            holderWrite(SoakOperation.COMPLETE, coordinator::complete, null);
        } else if (roll < 88) {
            holderWrite(SoakOperation.FAIL, coordinator::fail, Pool.FAILED);
        } else if (roll < 98) {
            holderWrite(SoakOperation.PAUSE, coordinator::pause, Pool.PAUSED);
        } else {
            tally.outcome(SoakOperation.DIE, "ok");
            pools.put(Pool.ABANDONED, held.runId());
            held = null;
        }
    }

    private void begin() {
        String runName = runName("begin");
        Claim claim = call(SoakOperation.BEGIN, () -> coordinator.begin(key(), runName, name));
        if (claim != null) {
            beginResults.put(runName, claim.runId());
            tally.outcome(SoakOperation.BEGIN, "ok");
            got(claim);
        }
    }

    private void createAndStart() {
        Run run = call(SoakOperation.CREATE, () -> coordinator.create(key(), runName("create")));
        if (run == null) {
            return;
        }
        tally.outcome(SoakOperation.CREATE, "ok");
        // an executor's claim-next may take the run first: then start is refused, as it should be
        Claim claim = call(SoakOperation.START, () -> coordinator.start(run.id(), name));
        if (claim != null) {
            tally.outcome(SoakOperation.START, "ok");
            got(claim);
        }
    }

    private void resume(SoakOperation operation, SoakPools.Taken taken) {
        try {
            Claim claim = coordinator.resume(taken.runId(), name);
            tally.outcome(operation, "ok");
            got(claim);
        } catch (RuntimeException e) {
            tally.failed(operation, e);
            if (stillWaiting(e)) {
                pools.put(taken.pool(), taken.runId());
            }
        } finally {
            calls++;
        }
    }

    /** Whether a refused resume leaves the run as it was, to be tried again later. */
    private static boolean stillWaiting(RuntimeException e) {
        if (e instanceof NotResumableException notResumable) {
            return notResumable.status() == RunStatus.RUNNING; // not stale yet
        }
        return !(e instanceof InvalidTransitionException) && !(e instanceof RunNotFoundException);
    }

    private void cancel(SoakPools.Taken taken) {
        ledger.cancelling(taken.runId());
        boolean movedActive = false;
        try {
            CancelOutcome outcome = coordinator.cancel(taken.runId());
            movedActive = outcome.cancelled() && outcome.statusSeen().isActive();
            tally.outcome(SoakOperation.CANCEL, (outcome.cancelled() ? "cancelled " : "already ") + outcome.statusSeen());
        } catch (RuntimeException e) {
            tally.failed(SoakOperation.CANCEL, e);
        } finally {
            ledger.cancelled(taken.runId(), movedActive);
            calls++;
        }
    }

    private void heartbeatAndExecute() {
        Claim claim = held;
        long writing = nanoClock.getAsLong();
        if (!holderWrite(SoakOperation.HEARTBEAT, coordinator::heartbeat, null)) {
            return;
        }
        executed = true;
        SoakLedger.Execution execution = ledger.enter(claim.key(), claim.runId(), claim.fence(), name, writing);
        Thread.yield(); // the work: lets other threads run inside the window
        ledger.leave(execution);
    }

    /**
     * A holder's fenced write; the claim is let go unless it is a heartbeat that succeeded. A run that ends
     * up paused or failed goes to {@code then}'s pool; one whose write failed while the claim may still
     * hold (a timeout, a database error) goes to the dead holders' pool.
     *
     * @return whether the write succeeded
     */
    private boolean holderWrite(SoakOperation operation, Consumer<Claim> write, Pool then) {
        Claim claim = held;
        held = null;
        executed = false;
        try {
            write.accept(claim);
            tally.outcome(operation, "ok");
            if (then != null) {
                pools.put(then, claim.runId());
            }
            if (operation == SoakOperation.HEARTBEAT) {
                held = claim;
            }
            return true;
        } catch (RuntimeException e) {
            tally.failed(operation, e);
            boolean lost = e instanceof StaleFenceException || e instanceof InvalidTransitionException
                    || e instanceof RunNotFoundException;
            if (!lost) {
                pools.put(Pool.ABANDONED, claim.runId());
            }
            return false;
        } finally {
            calls++;
        }
    }

    private void got(Claim claim) {
        held = claim;
        executed = false;
    }

    /** Runs one call; a failure is counted as its outcome and gives null. Success is for the caller to count. */
    private <T> T call(SoakOperation operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            tally.failed(operation, e);
            return null;
        } finally {
            calls++;
        }
    }

    private String key() {
        return keys[random.nextInt(keys.length)];
    }

    private String runName(String kind) {
        return kind + "-" + name + "-" + (calls + 1);
    }
}
