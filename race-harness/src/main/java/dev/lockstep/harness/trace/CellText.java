package dev.lockstep.harness.trace;

import dev.lockstep.dsl.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /** A value read from a row is cut sooner: a row holds many, and a race is rarely decided by a long text. */
    static final int LONGEST_ROW_VALUE = 60;
    static final String ELLIPSIS = "…";
    /** How many lines of what the code under test wrote to the console a trace shows, per place. */
    static final int LOG_LINES_SHOWN = 6;
    /** {@code \tat dev.example.NightlyJob.run(NightlyJob.java:27)}: the package, then the class, method and place. */
    private static final Pattern STACK_FRAME = Pattern.compile("\\s+at (?:[\\w.@-]*/)*((?:[a-z_][\\w]*\\.)*)([\\w$]+\\.[\\w$<>]+)(\\(.*\\))\\s*");
    /** The harness's classes in a stack trace: the runner, whose frames and those below it are the actor's thread, not its body; the JDBC wrappers. */
    private static final String RUNNER = "dev.lockstep.harness.scheduler.ScenarioRunner";
    private static final String INTERCEPTION = "dev.lockstep.harness.scheduler.Interception";
    private static final String CONTINUATION = "  ";

    private CellText() {}

    /** White space collapsed to single spaces: a statement or message on one line. */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    /** {@code text}, cut to {@link #LONGEST_VALUE} characters with a trailing {@code …} when longer. */
    static String cut(String text) {
        return cut(text, LONGEST_VALUE);
    }

    private static String cut(String text, int longest) {
        if (text.length() <= longest) {
            return text;
        }
        return text.substring(0, longest - ELLIPSIS.length()) + ELLIPSIS;
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
     */
    static String shortSelectList(String sql) {
        SelectList list = selectList(sql);
        return list == null ? sql : "select <" + list.items() + " columns>" + sql.substring(list.end());
    }

    /**
     * How many bound values the select list {@link #shortSelectList} hides took: their placeholders are not
     * shown, so the values are listed apart and the visible placeholders are numbered from 1.
     */
    static int hiddenPlaceholders(TraceEvent.Step step) {
        if (step.kind() != TraceEvent.Kind.STATEMENT || step.sql() == null) {
            return 0;
        }
        String sql = oneLine(step.sql());
        SelectList list = selectList(sql);
        return list == null ? 0 : placeholders(sql.substring(0, list.end()));
    }

    /** A select list of {@code items} items, whose FROM begins at {@code end}. */
    private record SelectList(int items, int end) {}

    /** The select list of {@code sql} when it has more than three items, else null: nothing to shorten. */
    private static SelectList selectList(String sql) {
        if (!sql.regionMatches(true, 0, "select ", 0, 7)) {
            return null;
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
                    return null;
                }
                i = close;
            } else if (depth == 0 && c == ',') {
                items++;
            } else if (depth == 0 && sql.regionMatches(true, i, " from ", 0, 6)) {
                return items > 3 ? new SelectList(items, i) : null;
            }
        }
        return null;
    }

    /** The {@code ?} placeholders in {@code sql}, outside quotes. */
    private static int placeholders(String sql) {
        int count = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int close = sql.indexOf(c, i + 1);
                if (close < 0) {
                    return count;
                }
                i = close;
            } else if (c == '?') {
                count++;
            }
        }
        return count;
    }

    /**
     * A call site as a report shows it, file and line first (what an IDE links) and short enough for a column:
     * {@code Dao.enqueue(Dao.java:27)} is {@code at Dao.java:27 (enqueue)}, a lambda's frame
     * {@code at Jobs.java:40 (lambda in schedule)}.
     */
    static String callSite(String site) {
        int open = site.lastIndexOf('(');
        if (open < 0 || !site.endsWith(")")) {
            return "at " + site;
        }
        String method = site.substring(site.lastIndexOf('.', open) + 1, open);
        if (method.startsWith("lambda$")) {
            String[] parts = method.split("\\$");
            method = parts.length > 1 && !parts[1].isEmpty() ? "lambda in " + parts[1] : "lambda";
        }
        return "at " + site.substring(open + 1, site.length() - 1) + " (" + method + ")";
    }

    /** e.g. {@code [?1='repo/a', ?2=7]}; empty when nothing was bound. */
    static String parameters(List<Object> parameters) {
        return parameters(parameters, 0);
    }

    /**
     * The bound values, the first {@code hidden} of which belong to placeholders the shortened select list
     * hides: {@code [?1=11; in the select list: 300000]}, so that {@code ?1} is the first {@code ?} shown.
     */
    static String parameters(List<Object> parameters, int hidden) {
        if (parameters.isEmpty()) {
            return "";
        }
        int cut = Math.min(hidden, parameters.size());
        StringBuilder text = new StringBuilder("[");
        for (int i = cut; i < parameters.size(); i++) {
            text.append(i == cut ? "" : ", ").append('?').append(i - cut + 1).append('=').append(value(parameters.get(i)));
        }
        if (cut > 0) {
            text.append(cut == parameters.size() ? "" : "; ").append("in the select list: ");
            for (int i = 0; i < cut; i++) {
                text.append(i == 0 ? "" : ", ").append(value(parameters.get(i)));
            }
        }
        return text.append(']').toString();
    }

    static String value(Object value) {
        return value(value, LONGEST_VALUE);
    }

    /** A value as SQL would write it ({@code NULL}, {@code 7}, {@code 'it''s'}, {@code <16 bytes>}), cut to {@code longest}. */
    private static String value(Object value, int longest) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return cut(value.toString(), longest);
        }
        if (value instanceof byte[] bytes) {
            return "<" + bytes.length + " bytes>";
        }
        return cut("'" + oneLine(String.valueOf(value)).replace("'", "''") + "'", longest);
    }

    /**
     * The values a query's rows held, a line per row kept ({@code id=11, status='pending'}), then {@code ... 4 more}
     * for the rows read after them; an update's generated keys ({@code generated id=42}); nothing when no values
     * were kept.
     */
    static List<String> rows(CallResult result) {
        if (result instanceof CallResult.Rows rows) {
            return rows(rows.columns(), rows.firstRows(), "", rows.rows() - rows.firstRows().size());
        }
        if (result instanceof CallResult.Updated updated) {
            return rows(updated.keyColumns(), updated.keys(), "generated ", 0);
        }
        return List.of();
    }

    private static List<String> rows(List<String> columns, List<List<Object>> rows, String prefix, int more) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (List<Object> row : rows) {
            StringBuilder line = new StringBuilder(prefix);
            for (int i = 0; i < row.size(); i++) {
                String label = i < columns.size() ? columns.get(i) : "?" + (i + 1);
                line.append(i == 0 ? "" : ", ").append(label).append('=').append(value(row.get(i), LONGEST_ROW_VALUE));
            }
            lines.add(line.toString());
        }
        if (more > 0) {
            lines.add("... " + more + " more");
        }
        return lines;
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
        if (result instanceof CallResult.RolledBack) {
            return "→ rolled back (the transaction had failed)";
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

    /**
     * What the code under test wrote to the console, a line each: {@code log: } and its first line, then
     * its next lines, at most {@link #LOG_LINES_SHOWN} in all (a stack trace's message and top frames),
     * then {@code ... 31 more lines}; white space collapsed and each line cut to {@link #LONGEST_VALUE}. A
     * stack frame reads as a step's call site does ({@code at NightlyJob.java:27 (run)}); the harness's own
     * frames (its JDBC wrappers, and from where it called the actor's body down) are left out.
     */
    static List<String> log(String text) {
        List<String> written = new ArrayList<>();
        boolean belowBody = false; // in a stack trace, past the frame where the harness called the actor's body
        for (String line : text.lines().toList()) {
            Matcher frame = STACK_FRAME.matcher(line);
            if (!frame.matches()) {
                belowBody = false;
                if (!line.isBlank()) {
                    written.add(oneLine(line));
                }
                continue;
            }
            String type = frame.group(1) + frame.group(2).substring(0, frame.group(2).lastIndexOf('.'));
            belowBody |= type.startsWith(RUNNER);
            if (!belowBody && !type.startsWith(INTERCEPTION)) {
                written.add(callSite(frame.group(2) + frame.group(3)));
            }
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < Math.min(written.size(), LOG_LINES_SHOWN); i++) {
            lines.add((i == 0 ? "log: " : "") + cut(written.get(i)));
        }
        int more = written.size() - LOG_LINES_SHOWN;
        if (more > 0) {
            lines.add("... " + more + (more == 1 ? " more line" : " more lines"));
        }
        return lines;
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
