package dev.lockstep.harness.trace;

import java.util.List;

/**
 * What happened in one run, in the order it happened: every statement, commit and rollback each
 * actor sent (with bound values and results), waits the database imposed and their completions, the
 * settings each actor changed through JDBC between its statements, and how each actor finished.
 */
public record Trace(List<String> actors, List<TraceEvent> events) {

    public Trace {
        actors = List.copyOf(actors);
        events = List.copyOf(events);
    }
}
