/**
 * An executor dispatcher: an orchestrator hands pending runs to executors, and hands a run again to
 * another executor when it presumes the first one lost (its heartbeats stopped).
 *
 * <p>{@link dev.lockstep.examples.dispatch.Dispatcher} claims the oldest pending run with {@code SELECT ...
 * FOR UPDATE SKIP LOCKED} on PostgreSQL and with a compare-and-swap {@code UPDATE ... WHERE status =
 * 'PENDING'} on SQLite, which has no {@code SKIP LOCKED}; {@link dev.lockstep.examples.dispatch.ClaimNext}
 * is the one place the two differ. Each hand-over raises the run's attempt number. Two dispatchers racing
 * over two pending runs get one each.
 *
 * <p>The bug is the presumed-lost executor that is still alive. {@link
 * dev.lockstep.examples.dispatch.UnfencedExecutor} checks that the run is still its own, then executes
 * it: a re-dispatch between the two, or between the execution and marking the run done, executes the run
 * twice. {@link dev.lockstep.examples.dispatch.FencedExecutor} writes its execution in the same transaction
 * as a compare-and-swap on the attempt it was given, so a run is executed once. {@code DispatchRacesIT}
 * shows all three on SQLite and PostgreSQL.
 */
package dev.lockstep.examples.dispatch;
