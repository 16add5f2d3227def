package dev.lockstep.core.internal.strategy;

/**
 * <strong>Unsafe by design</strong>: the check-then-act guard from the original bug report, kept as
 * the negative control for the race harness and the demo.
 *
 * <ol>
 *   <li>ask whether another run of the key is {@code running} or {@code paused};
 *   <li>if not, compare-and-swap this run to {@code running}.
 * </ol>
 *
 * Both steps are separate autocommit statements with nothing between them, so two runs that
 * interleave guard-guard-swap-swap both start. There is no precondition under which it is safe
 * against concurrent starts.
 */
public final class NaiveGuard extends GuardThenSwap {
    // the defaults of GuardThenSwap are exactly the bug: active runs only, and no exclusive section
}
