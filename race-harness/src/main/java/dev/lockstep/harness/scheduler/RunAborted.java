package dev.lockstep.harness.scheduler;

/**
 * Thrown at an actor's next yield point when the harness ends a run early (an invariant broke, or
 * the schedule named an actor that could not move). An Error, so that application code catching
 * exceptions does not swallow it and carry on.
 */
final class RunAborted extends Error {

    private static final long serialVersionUID = 1L;

    RunAborted(String why) {
        super("run aborted by the race harness: " + why, null, false, false);
    }
}
