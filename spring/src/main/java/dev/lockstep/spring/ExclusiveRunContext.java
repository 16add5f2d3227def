package dev.lockstep.spring;

import dev.lockstep.core.ClaimLostException;
import dev.lockstep.core.HeldRun;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The run the current thread executes under {@link ExclusiveRun} or {@link LockstepTemplate}, the way
 * ShedLock's {@code LockAssert} checks that a lock is held — but for lockstep, also whether it is still held.
 */
public final class ExclusiveRunContext {

    private static final ThreadLocal<Deque<HeldRun>> RUNS = ThreadLocal.withInitial(ArrayDeque::new);

    private ExclusiveRunContext() {}

    /** The innermost run this thread executes, if any. */
    public static Optional<HeldRun> current() {
        return Optional.ofNullable(RUNS.get().peek());
    }

    /**
     * The innermost run this thread executes, after checking that it is still held.
     *
     * @throws IllegalStateException no run: the method was called without lockstep (self-invocation, a missing
     *                               {@link EnableLockstep}, a bean that is not proxied)
     * @throws ClaimLostException    the run was cancelled or taken over, or its heartbeats kept failing; stop
     *                               working on it
     */
    public static HeldRun assertHeld() {
        HeldRun run = RUNS.get().peek();
        if (run == null) {
            throw new IllegalStateException("no lockstep run on this thread: the call did not go through an "
                    + "@ExclusiveRun proxy (a call from the same object, a bean that is not proxied, no @EnableLockstep) "
                    + "nor LockstepTemplate.execute");
        }
        run.ensureHeld();
        return run;
    }

    static void enter(HeldRun run) {
        RUNS.get().push(run);
    }

    static void exit() {
        Deque<HeldRun> runs = RUNS.get();
        runs.pop();
        if (runs.isEmpty()) {
            RUNS.remove();
        }
    }
}
