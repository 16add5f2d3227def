package dev.lockstep.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method as a lockstep run: at most one at a time per key, across every process sharing the database.
 *
 * <p>The call begins a run of {@link #name()} on the key {@link #key()} evaluates to, heartbeats it while the
 * method runs, completes it when the method returns and fails it when the method throws (the exception is
 * rethrown unchanged). lockstep's writes commit on connections of their own, never in the caller's
 * transaction, and the advice is ordered to wrap {@code @Transactional}: the run completes after the method's
 * transaction committed. {@link ExclusiveRunContext#assertHeld()} checks, inside the method, that its run is
 * still held.
 *
 * <p>Enabled by {@link EnableLockstep} (or the Boot starter). As with every Spring proxy, only calls through the
 * bean's proxy are seen: a call from the same object (self-invocation) runs the method unguarded, so use
 * {@link LockstepTemplate} there. Methods the proxy cannot honour are refused when the context starts, never
 * skipped silently: private, static or final methods; methods returning a {@code Future},
 * {@code CompletionStage} or reactive type (the run would complete before the work); with {@link OnConflict#SKIP},
 * methods returning a primitive.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ExclusiveRun {

    /**
     * The run's key, a SpEL expression over the method's arguments, evaluated on every call: {@code "#repo"},
     * {@code "'nightly-report'"} (a constant is quoted), {@code "'build:' + #p0"}. {@code ${...}} placeholders
     * are resolved first. It must give a non-null string; keys follow lock-core's rules (at most 1024 characters,
     * no control characters).
     */
    String key();

    /** The run's name, for history and metrics; the default is {@code SimpleClassName.methodName}. */
    String name() default "";

    /** What a call does when another run already holds the key. */
    OnConflict onConflict() default OnConflict.FAIL;

    /**
     * Exceptions that complete the run instead of failing it (as {@code noRollbackFor} does for a transaction);
     * the exception is still rethrown.
     */
    Class<? extends Throwable>[] noFailFor() default {};

    /** What a call does when another run holds its key. The method never runs in that case. */
    enum OnConflict {
        /** Throw lock-core's {@code AlreadyActiveException}, which names the holder. */
        FAIL,
        /**
         * Return {@code null} ({@code Optional.empty()} for an {@code Optional}) and log the holder at INFO. Methods
         * returning a primitive are refused at startup.
         */
        SKIP,
        /**
         * Return the run that holds the key: the method's return type must be lockstep's {@code Run} or
         * {@code Optional<Run>} (when the method itself runs, it returns what it returns).
         */
        USE_EXISTING,
        /** Cancel the run that holds the key and run the method, in one transaction with the cancel. */
        CANCEL_EXISTING
    }
}
