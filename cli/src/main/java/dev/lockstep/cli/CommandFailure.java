package dev.lockstep.cli;

/** A failure the user can fix, reported as one line with exit code 2 (a stack trace only with --verbose). */
final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
        super(message);
    }
}
