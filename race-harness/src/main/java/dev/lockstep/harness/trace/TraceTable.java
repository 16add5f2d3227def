package dev.lockstep.harness.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * A trace laid out as one column per actor, time flowing downward.
 *
 * <ol>
 *   <li>Columns follow {@link Trace#actors()}; an actor met in an event but not listed gets a column
 *       at the right.
 *   <li>Each event takes its own rows, in its actor's column, the other columns left blank; the left
 *       margin shows the decision index of a {@link TraceEvent.Step}.
 *   <li>A step's cell is its statement, where the code under test sent it from ({@code at ...}), its bound
 *       values, then its result and the values of the rows
 *       it read, a row a line, each wrapped to the column width; a {@link TraceEvent.Completed} reads {@code <... completed> → result}; a
 *       {@link TraceEvent.Finished} reads {@code = returned ...} or {@code = threw ...}; a
 *       {@link TraceEvent.Setting} is the setter as called, with the error under it when the driver refused; a
 *       {@link TraceEvent.Log} reads {@code log: } and the first lines the actor wrote to the console, the
 *       lines after the first indented.
 *   <li>When a marker is given for decision {@code n}, a line {@code >>> marker} is drawn under the
 *       events of decision {@code n}, before the next step.
 *   <li>Trailing blanks are trimmed from every line.
 * </ol>
 */
final class TraceTable {

    private static final String ROW_INDENT = "  ";

    private TraceTable() {}

    static void render(Trace trace, int width, int markAfterStep, String marker, StringBuilder out) {
        List<String> actors = new ArrayList<>(trace.actors());
        int widest = width;
        int lastStep = 0;
        for (TraceEvent event : trace.events()) {
            if (!actors.contains(event.actor())) {
                actors.add(event.actor());
            }
            if (event instanceof TraceEvent.Step step) {
                lastStep = Math.max(lastStep, step.step());
            }
        }
        for (String actor : actors) {
            widest = Math.max(widest, actor.length());
        }
        int margin = Math.max(1, String.valueOf(lastStep).length());

        out.append(" ".repeat(margin - 1)).append('#');
        for (String actor : actors) {
            out.append(" | ").append(actor).append(" ".repeat(widest - actor.length()));
        }
        out.append('\n');
        trimLast(out);
        out.append("-".repeat(margin));
        for (int i = 0; i < actors.size(); i++) {
            out.append("-+-").append("-".repeat(widest));
        }
        out.append('\n');

        boolean marked = markAfterStep < 0;
        for (TraceEvent event : trace.events()) {
            if (!marked && event instanceof TraceEvent.Step step && step.step() > markAfterStep) {
                out.append(">>> ").append(marker).append('\n');
                marked = true;
            }
            int column = actors.indexOf(event.actor());
            List<String> lines = cell(event, widest);
            for (int i = 0; i < lines.size(); i++) {
                // steps after a deadlock was broken run free, without a decision number (step -1)
                String label = i == 0 && event instanceof TraceEvent.Step step && step.step() >= 0 ? String.valueOf(step.step()) : "";
                row(margin, widest, actors.size(), label, column, lines.get(i), out);
            }
        }
        if (!marked) {
            out.append(">>> ").append(marker).append('\n');
        }
    }

    private static List<String> cell(TraceEvent event, int width) {
        List<String> lines = new ArrayList<>();
        if (event instanceof TraceEvent.Step step) {
            lines.addAll(CellText.wrap(CellText.statement(step), width));
            if (step.callSite() != null) {
                lines.addAll(CellText.wrap(CellText.callSite(step.callSite()), width));
            }
            String parameters = CellText.parameters(step.parameters(), CellText.hiddenPlaceholders(step));
            if (!parameters.isEmpty()) {
                lines.addAll(CellText.wrap(parameters, width));
            }
            lines.addAll(CellText.wrap(CellText.result(step.result()), width));
            lines.addAll(rows(step.result(), width));
        } else if (event instanceof TraceEvent.Completed completed) {
            lines.addAll(CellText.wrap("<... completed> " + CellText.result(completed.result()), width));
            lines.addAll(rows(completed.result(), width));
        } else if (event instanceof TraceEvent.Setting setting) {
            lines.addAll(CellText.wrap(setting.call(), width));
            if (setting.result() instanceof CallResult.Failed) {
                lines.addAll(CellText.wrap(CellText.result(setting.result()), width));
            }
        } else if (event instanceof TraceEvent.Log log) {
            List<String> logged = CellText.log(log.text());
            lines.addAll(CellText.wrap(logged.get(0), width));
            lines.addAll(indented(logged.subList(1, logged.size()), width));
        } else if (event instanceof TraceEvent.Finished finished) {
            lines.addAll(CellText.wrap(CellText.finished(finished.outcome()), width));
        }
        return lines;
    }

    /** The values read, a row a line, indented under the result; a row too wide for the column goes on indented further. */
    private static List<String> rows(CallResult result, int width) {
        return indented(CellText.rows(result), width);
    }

    /** {@code texts} a line each, indented under the line above; a text too wide for the column goes on indented further. */
    private static List<String> indented(List<String> texts, int width) {
        List<String> lines = new ArrayList<>();
        for (String row : texts) {
            for (String line : CellText.wrap(row, width - ROW_INDENT.length())) {
                lines.add(ROW_INDENT + line);
            }
        }
        return lines;
    }

    private static void row(int margin, int width, int columns, String label, int column, String text, StringBuilder out) {
        out.append(" ".repeat(margin - label.length())).append(label);
        for (int c = 0; c < columns; c++) {
            String cell = c == column ? text : "";
            out.append(" | ").append(cell).append(" ".repeat(width - cell.length()));
        }
        out.append('\n');
        trimLast(out);
    }

    /** Removes the blanks before the final line break. */
    private static void trimLast(StringBuilder out) {
        int end = out.length() - 1;
        int cut = end;
        while (cut > 0 && out.charAt(cut - 1) == ' ') {
            cut--;
        }
        out.delete(cut, end);
    }
}
