package dev.lockstep.core;

/**
 * Every failure lock-core reports, as a small sealed family. Each message names the run, the key,
 * the status seen and what the caller can do. Invalid arguments (null, blank or over-long keys,
 * names and owners) are reported before the database is touched, as {@link IllegalArgumentException}
 * or {@link NullPointerException}.
 */
public abstract sealed class LockstepException extends RuntimeException
        permits AlreadyActiveException,
                RunNotFoundException,
                NotResumableException,
                InvalidTransitionException,
                StaleFenceException,
                ClaimLostException,
                TransientFailureException,
                SchemaMismatchException,
                ContentionException,
                DatabaseException {

    private static final long serialVersionUID = 1L;

    LockstepException(String message) {
        super(message);
    }

    LockstepException(String message, Throwable cause) {
        super(message, cause);
    }

    /** With {@code stackTrace} false, an answer rather than a fault: no stack trace is recorded. */
    LockstepException(String message, boolean stackTrace) {
        super(message, null, true, stackTrace);
    }
}
