package dev.lockstep.harness.trace;

import dev.lockstep.harness.explore.Execution;
import dev.lockstep.harness.explore.Verdict;
import java.util.Objects;

/**
 * The text a person reads when a race fails: what broke, the run as one column per actor, and the
 * line that replays it. Immutable; each {@code with} returns a new report.
 *
 * <pre>{@code
 * scenario: start-start
 * database: SQLite 3.50
 * broke: invariant broken: at most one active run per key
 * explorer: exhaustive(cap 10000)
 *
 * # | A                       | B
 * --+-------------------------+-------------------------
 * 0 | SELECT count(*) FROM run WHERE key = ? AND status = 'running'
 *   | [?1='repo/a']
 *   | → 1 row
 * ...
 * invariant broken: at most one active run per key
 *   after step 3: B UPDATE run SET status = 'running' WHERE id = ?
 *   evidence: repo/a has 2 running runs
 * replay: A A B B B A
 * preemptions: 1, decisions: 6
 * }</pre>
 *
 * <p>SQL is printed whole, wrapped to the column width; values longer than 200 characters (bound
 * values, messages, returned values, evidence lines) are cut and end with {@code …}.
 */
public final class TraceReport {

    /** Characters per actor column unless {@link #withColumnWidth} says otherwise. */
    public static final int DEFAULT_COLUMN_WIDTH = 44;
    /** The narrowest column: room for {@code <... completed>} and a short result. */
    public static final int NARROWEST_COLUMN = 20;

    private final String scenario;
    private final String database;
    private final Execution execution;
    private final String explorer;
    private final Long seed;
    private final int columnWidth;
    private final Execution shrunkFrom;

    private TraceReport(String scenario, String database, Execution execution, String explorer, Long seed, int columnWidth,
                        Execution shrunkFrom) {
        this.scenario = scenario;
        this.database = database;
        this.execution = execution;
        this.explorer = explorer;
        this.seed = seed;
        this.columnWidth = columnWidth;
        this.shrunkFrom = shrunkFrom;
    }

    /** A report of one run of {@code scenario} on {@code database} (a description, e.g. {@code PostgreSQL 16.4}). */
    public static TraceReport of(String scenario, String database, Execution execution) {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(execution.schedule(), "execution.schedule");
        Objects.requireNonNull(execution.verdict(), "execution.verdict");
        return new TraceReport(scenario, database, execution, null, null, DEFAULT_COLUMN_WIDTH, null);
    }

    /** Names the explorer that found the run, e.g. {@code random(seed 42, 500)}; null for none. */
    public TraceReport withExplorer(String explorer) {
        return new TraceReport(scenario, database, execution, explorer, seed, columnWidth, shrunkFrom);
    }

    /** The seed that reproduces the exploration; null for none. */
    public TraceReport withSeed(Long seed) {
        return new TraceReport(scenario, database, execution, explorer, seed, columnWidth, shrunkFrom);
    }

    /** Characters per actor column, at least {@value #NARROWEST_COLUMN}; default {@value #DEFAULT_COLUMN_WIDTH}. */
    public TraceReport withColumnWidth(int width) {
        if (width < NARROWEST_COLUMN) {
            throw new IllegalArgumentException("column width must be at least " + NARROWEST_COLUMN + " characters, got " + width);
        }
        return new TraceReport(scenario, database, execution, explorer, seed, width, shrunkFrom);
    }

    /** Adds a line saying which longer failing run this one was shrunk from; null for none. */
    public TraceReport withShrunkFrom(Execution original) {
        return new TraceReport(scenario, database, execution, explorer, seed, columnWidth, original);
    }

    public String render() {
        Verdict verdict = execution.verdict();
        StringBuilder out = new StringBuilder();
        out.append("scenario: ").append(scenario).append('\n');
        out.append("database: ").append(database).append('\n');
        if (verdict instanceof Verdict.Unrealized) {
            out.append("replay failed: ").append(verdict.summary()).append('\n');
        } else {
            out.append("broke: ").append(verdict.failed() ? verdict.summary() : "nothing (" + verdict.summary() + ")").append('\n');
        }
        if (explorer != null) {
            out.append("explorer: ").append(explorer).append('\n');
        }
        if (seed != null) {
            out.append("seed: ").append(seed).append('\n');
        }
        out.append('\n');
        if (execution.trace() == null) {
            out.append("(no trace: the runner kept none for this run)\n");
        } else {
            int markAfter = verdict instanceof Verdict.InvariantBroken broken ? broken.afterStep() : -1;
            TraceTable.render(execution.trace(), columnWidth, markAfter, verdict.summary(), out);
        }
        out.append('\n');
        explain(verdict, out);
        out.append("replay: ").append(execution.replay()).append('\n');
        out.append("preemptions: ").append(execution.preemptions()).append(", decisions: ").append(execution.schedule().size()).append('\n');
        if (seed != null) {
            out.append("seed: ").append(seed).append('\n');
        }
        if (shrunkFrom != null) {
            out.append("shrunk from: ").append(shrunkFrom.schedule()).append(" (").append(shrunkFrom.preemptions())
                    .append(" preemptions, ").append(shrunkFrom.schedule().size()).append(" decisions)\n");
        }
        return out.toString();
    }

    private void explain(Verdict verdict, StringBuilder out) {
        out.append(verdict.summary()).append('\n');
        if (verdict instanceof Verdict.InvariantBroken broken) {
            out.append("  ").append(broken.afterStep() < 0 ? "at the end, once every actor had finished" : "after step " + broken.afterStep() + stepAt(broken.afterStep())).append('\n');
            evidence(broken.evidence(), out);
        } else if (verdict instanceof Verdict.ExpectationFailed && execution.outcomes() != null) {
            out.append("  outcomes: ").append(CellText.cut(CellText.oneLine(execution.outcomes().label()))).append('\n');
        } else if (verdict instanceof Verdict.Deadlock deadlock) {
            out.append(deadlock.endedByDatabase()
                    ? "  they waited for each other; the database's deadlock detector failed " + deadlock.victim() + "'s statement"
                            + stepAt(deadlock.step()) + ", and the others went on\n"
                    : "  they waited for each other where the database could not see it (or did not end it in time); as a last"
                            + " resort the harness cancelled " + deadlock.victim() + "'s wait" + stepAt(deadlock.step()) + "\n");
        } else if (verdict instanceof Verdict.ScheduleInvalid invalid) {
            out.append("  the run stopped before step ").append(invalid.step()).append(" (decision ").append(invalid.step() + 1)
                    .append(" of the schedule; steps count from 0, as in the table): the schedule does not describe this run\n");
        } else if (verdict instanceof Verdict.OtherStep other) {
            out.append("  the run stopped before step ").append(other.step()).append(": the code under test has changed since the"
                    + " schedule was written, or the schedule names the wrong step\n");
        } else if (verdict instanceof Verdict.ScheduleTooShort) {
            out.append("  an exact replay needs a decision for every step: add the missing ones, or let the rest run in a"
                    + " stated order (Explorer.replay(schedule).thenInDeclarationOrder())\n");
        }
    }

    /** e.g. {@code : B UPDATE run SET ...}, the statement sent at decision {@code step}, if the trace has it. */
    private String stepAt(int step) {
        if (execution.trace() != null) {
            for (TraceEvent event : execution.trace().events()) {
                if (event instanceof TraceEvent.Step s && s.step() == step) {
                    return ": " + s.actor() + " " + CellText.statement(s);
                }
            }
        }
        return step < execution.schedule().size() ? ": " + execution.schedule().get(step) : "";
    }

    private static void evidence(String evidence, StringBuilder out) {
        if (evidence == null || evidence.isBlank()) {
            return;
        }
        String[] lines = evidence.strip().split("\\R");
        if (lines.length == 1) {
            out.append("  evidence: ").append(CellText.cut(lines[0].strip())).append('\n');
            return;
        }
        out.append("  evidence:\n");
        for (String line : lines) {
            out.append("    ").append(CellText.cut(line.strip())).append('\n');
        }
    }

    @Override
    public String toString() {
        return render();
    }
}
