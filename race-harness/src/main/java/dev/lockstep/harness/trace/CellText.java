package dev.lockstep.harness.trace;

import dev.lockstep.dsl.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * The words a report prints for statements, bound values, results and outcomes, and how they are
 * cut and wrapped to fit a column.
 *
 * <p>SQL is never cut: the clause that decides a race is often the last one. A value (a bound
 * parameter, an error message, what a body returned or threw, a line of evidence) longer than
 * {@link #LONGEST_VALUE} characters is cut and ends with {@code …}.
 */
final class CellText {

    static final int LONGEST_VALUE = 200;
    static final String ELLIPSIS = "…";
    private static final String CONTINUATION = "  ";

    private CellText() {}

    /** White space collapsed to single spaces: a statement or message on one line. */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    /** {@code text}, cut to {@link #LONGEST_VALUE} characters with a trailing {@code …} when longer. */
    static String cut(String text) {
        if (text.length() <= LONGEST_VALUE) {
            return text;
        }
        return text.substring(0, LONGEST_VALUE - ELLIPSIS.length()) + ELLIPSIS;
    }

    /** The statement's SQL; for a commit or rollback, {@code COMMIT}, or {@code COMMIT (setAutoCommit(true))} when a setter made it. */
    static String statement(TraceEvent.Step step) {
        return switch (step.kind()) {
            case COMMIT -> ending("COMMIT", step.sql());
            case ROLLBACK -> ending("ROLLBACK", step.sql());
            case STATEMENT -> step.sql() == null || step.sql().isBlank() ? "<statement>" : shortSelectList(oneLine(step.sql()));
        };
    }

    private static String ending(String word, String call) {
        return call == null || call.isBlank() || call.strip().equalsIgnoreCase(word) ? word : word + " (" + oneLine(call) + ")";
    }

    /**
     * {@code select <11 columns> from ...} for a select list of more than three items: generated
     * SQL spells out every column, and a race is read in the FROM and WHERE clauses, not there.
     * Bound values keep their numbers, so nothing a reader needs is lost.
     */
    static String shortSelectList(String sql) {
        if (!sql.regionMatches(true, 0, "select ", 0, 7)) {
            return sql;
        }
        int depth = 0;
        int items = 1;
        for (int i = 7; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '\'' || c == '"') {
                int close = sql.indexOf(c, i + 1);
                if (close < 0) {
                    return sql;
                }
                i = close;
            } else if (depth == 0 && c == ',') {
                items++;
            } else if (depth == 0 && sql.regionMatches(true, i, " from ", 0, 6)) {
                return items > 3 ? "select <" + items + " columns>" + sql.substring(i) : sql;
            }
        }
        return sql;
    }

    /** e.g. {@code [?1='repo/a', ?2=7]}; empty when nothing was bound. */
    static String parameters(List<Object> parameters) {
        if (parameters.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < parameters.size(); i++) {
            text.append(i == 0 ? "" : ", ").append('?').append(i + 1).append('=').append(value(parameters.get(i)));
        }
        return text.append(']').toString();
    }

    static String value(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return cut(value.toString());
        }
        if (value instanceof byte[] bytes) {
            return "<" + bytes.length + " bytes>";
        }
        return cut("'" + oneLine(String.valueOf(value)).replace("'", "''") + "'");
    }

    /** e.g. {@code → 1 row}, {@code → updated 2}, {@code → ok}, {@code <waiting>}, {@code → ERROR 23505 ...}. */
    static String result(CallResult result) {
        if (result == null) {
            return "→ (no result)";
        }
        if (result instanceof CallResult.Rows r) {
            return "→ " + r.rows() + (r.rows() == 1 ? " row" : " rows");
        }
        if (result instanceof CallResult.Updated u) {
            return "→ updated " + u.count();
        }
        if (result instanceof CallResult.Waiting) {
            return "<waiting>";
        }
        if (result instanceof CallResult.Failed f) {
            String state = f.sqlState() == null || f.sqlState().isBlank() ? "" : f.sqlState() + " ";
            return "→ ERROR " + state + cut(oneLine(f.message()));
        }
        return "→ ok";
    }

    /** e.g. {@code = returned Claim[...]}, {@code = threw AlreadyActiveException: ...}, {@code = deadlocked}. */
    static String finished(Outcome outcome) {
        if (outcome instanceof Outcome.Returned r) {
            return "= returned " + cut(oneLine(String.valueOf(r.value())));
        }
        if (outcome instanceof Outcome.Threw t) {
            return "= threw " + thrown(t.error());
        }
        if (outcome instanceof Outcome.Deadlocked d) {
            return d.error() == null ? "= deadlocked" : "= deadlocked, threw " + thrown(d.error());
        }
        return "= finished";
    }

    private static String thrown(Throwable error) {
        String message = error.getMessage();
        String name = error.getClass().getSimpleName();
        return message == null || message.isBlank() ? name : name + ": " + cut(oneLine(message));
    }

    /**
     * {@code text} in lines of at most {@code width} characters, broken at a space where there is one
     * (the space is dropped), else inside a word; lines after the first are indented two spaces.
     */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        String rest = text;
        do {
            int room = lines.isEmpty() ? width : width - CONTINUATION.length();
            String line;
            if (rest.length() <= room) {
                line = rest;
                rest = "";
            } else {
                int space = rest.lastIndexOf(' ', room);
                int end = space > 0 ? space : room;
                line = rest.substring(0, end);
                rest = rest.substring(space > 0 ? end + 1 : end);
            }
            lines.add(lines.isEmpty() ? line : CONTINUATION + line);
        } while (!rest.isEmpty());
        return lines;
    }
}
