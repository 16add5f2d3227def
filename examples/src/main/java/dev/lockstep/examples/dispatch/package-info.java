/**
 * An executor dispatcher: an orchestrator hands pending runs to executors.
 *
 * <p>{@link dev.lockstep.examples.dispatch.Dispatcher} claims the oldest pending run with {@code SELECT ...
 * FOR UPDATE SKIP LOCKED} on PostgreSQL and with a compare-and-swap {@code UPDATE ... WHERE status =
 * 'PENDING'} on SQLite, which has no {@code SKIP LOCKED}; {@link dev.lockstep.examples.dispatch.ClaimNext}
 * is the one place the two differ. Each hand-over raises the run's attempt number. {@code DispatchRacesIT}
 * races two dispatchers on SQLite and PostgreSQL: each run goes to exactly one.
 */
package dev.lockstep.examples.dispatch;
