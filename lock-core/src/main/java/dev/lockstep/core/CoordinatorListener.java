package dev.lockstep.core;

/**
 * Hears of every operation of a coordinator once it ended ({@link Coordinator#withListener}): the place for
 * metrics and tracing, without lock-core depending on either. lockstep-micrometer is one.
 *
 * <p>It is called on the caller's thread, after the operation's connection was handed back and before the
 * operation returns or throws, so it should be quick and must not call the coordinator. An exception it
 * throws does not change what the operation returns or throws: it goes to the thread's uncaught-exception
 * handler. Arguments refused before any database work (a blank key, a null claim) are not operations and are
 * not reported.
 */
@FunctionalInterface
public interface CoordinatorListener {

    void operationEnded(OperationEvent event);
}
