package dev.lockstep.harness.scheduler;

import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.trace.CallResult;
import dev.lockstep.harness.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's trace, one short line per event, as isolationtester prints a permutation: {@code 0 A
 * UPDATE ... -> updated 1}, {@code 1 B <... completed> -> ok}, {@code A setReadOnly(true)} for a
 * setting changed between steps, {@code = A} for the end of A's body.
 */
final class TraceLines {

    private TraceLines() {}

    static List<String> of(Execution run) {
        List<String> lines = new ArrayList<>();
        for (TraceEvent event : run.trace().events()) {
            if (event instanceof TraceEvent.Step s) {
                lines.add(s.step() + " " + s.actor() + " " + s.sql() + " -> " + result(s.result()));
            } else if (event instanceof TraceEvent.Completed c) {
                lines.add(c.step() + " " + c.actor() + " <... completed> -> " + result(c.result()));
            } else if (event instanceof TraceEvent.Setting s) {
                lines.add(s.actor() + " " + s.call() + (s.result() instanceof CallResult.Failed ? " -> " + result(s.result()) : ""));
            } else if (event instanceof TraceEvent.Finished f) {
                lines.add("= " + f.actor());
            }
        }
        return lines;
    }

    private static String result(CallResult result) {
        if (result instanceof CallResult.Waiting) {
            return "<waiting>";
        }
        if (result instanceof CallResult.Failed f) {
            return f.sqlState() == null ? "ERROR" : "ERROR " + f.sqlState();
        }
        if (result instanceof CallResult.Rows r) {
            return r.rows() + " rows";
        }
        if (result instanceof CallResult.Updated u) {
            return "updated " + u.count();
        }
        return "ok";
    }
}
