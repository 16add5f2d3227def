package dev.lockstep.examples.dispatch;

/**
 * A run handed to an executor: which run, to whom, and the attempt number it was handed over with. The
 * attempt grows with every dispatch of the run, so it is the fencing token of the executor's writes.
 */
record Dispatch(long runId, String executor, int attempt) {}
