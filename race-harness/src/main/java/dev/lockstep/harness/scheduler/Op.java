package dev.lockstep.harness.scheduler;

import dev.lockstep.harness.trace.TraceEvent;
import java.util.List;

/** What an actor is about to send to the database at a yield point. */
record Op(TraceEvent.Kind kind, String sql, List<Object> parameters) {

    static Op commit() {
        return new Op(TraceEvent.Kind.COMMIT, "COMMIT", List.of());
    }

    /** A commit made by a JDBC call other than {@code commit()}, e.g. {@code setAutoCommit(true)}. */
    static Op commitBy(String call) {
        return new Op(TraceEvent.Kind.COMMIT, call, List.of());
    }

    static Op rollback() {
        return new Op(TraceEvent.Kind.ROLLBACK, "ROLLBACK", List.of());
    }

    private static final java.util.regex.Pattern CONTROLS_TRANSACTION = java.util.regex.Pattern.compile(
            "(?is)\\s*(?:begin|start\\s+transaction|commit|end|rollback|abort|savepoint|release)\\b(?!\\s+prepared\\b)[^;]*;?\\s*");
    private static final java.util.regex.Pattern COMMITS = java.util.regex.Pattern.compile(
            "(?is)\\s*(?:commit|end)(?:\\s+(?:work|transaction))?\\s*;?\\s*");

    /**
     * Whether the statement is transaction control alone ({@code BEGIN}, {@code START TRANSACTION}, {@code COMMIT},
     * {@code END}, {@code ROLLBACK}, {@code SAVEPOINT}, {@code RELEASE}, ...): its result is shown as done, whatever
     * update count the driver reports for it (sqlite-jdbc reports the previous statement's).
     */
    static boolean controlsTransaction(String sql) {
        return sql != null && CONTROLS_TRANSACTION.matcher(sql).matches();
    }

    /** Whether the statement is a plain {@code COMMIT} (or {@code END}), which PostgreSQL turns into a rollback when the transaction failed. */
    static boolean commits(String sql) {
        return sql != null && COMMITS.matcher(sql).matches();
    }

    /**
     * Whether this statement changes a setting of the session that outlives its transaction
     * ({@code SET x = ...}, {@code RESET x}, {@code set_config(..., false)}), which the harness must
     * undo before the next run. A {@code set_config} whose third argument is plainly {@code true} is
     * local to its transaction and ends with it; any call the scan cannot read counts as lasting.
     */
    boolean changesSessionSettings() {
        if (kind != TraceEvent.Kind.STATEMENT || sql == null) {
            return false;
        }
        String s = sql.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.startsWith("set ")) {
            return !s.startsWith("set local ") && !s.startsWith("set transaction ") && !s.startsWith("set constraints ");
        }
        return s.startsWith("reset ") || setsConfigBeyondTransaction(s);
    }

    private static final String TRANSACTION_MODE = "(?:isolation\\s+level\\s+(?:read\\s+committed|read\\s+uncommitted|repeatable\\s+read"
            + "|serializable)|read\\s+only|read\\s+write)";
    private static final java.util.regex.Pattern SETS_TRANSACTION_MODE = java.util.regex.Pattern.compile(
            "(?is)\\s*set\\s+transaction\\s+" + TRANSACTION_MODE + "(?:\\s*,\\s*" + TRANSACTION_MODE + ")*\\s*;?\\s*");

    /**
     * Whether {@code sql} is only {@code SET TRANSACTION} with an isolation level or access mode: it
     * sets the next transaction (MariaDB, MySQL) or the one just begun (PostgreSQL), takes no lock and
     * changes nothing another session sees, so it is a trace line of the actor, not a yield point, as
     * {@code setTransactionIsolation} is. Any other {@code SET} (a snapshot, a session default, a
     * subquery) still yields.
     */
    static boolean onlySetsTransactionMode(String sql) {
        return sql != null && SETS_TRANSACTION_MODE.matcher(sql).matches();
    }

    private static final String SET_CONFIG = "set_config(";

    /** Whether lower-case {@code sql} calls {@code set_config} in any way but with {@code is_local} true. */
    private static boolean setsConfigBeyondTransaction(String sql) {
        for (int at = sql.indexOf(SET_CONFIG); at >= 0; at = sql.indexOf(SET_CONFIG, at + 1)) {
            List<String> arguments = arguments(sql, at + SET_CONFIG.length());
            if (arguments == null || arguments.size() != 3) {
                return true;
            }
            String isLocal = arguments.get(2).strip();
            if (!isLocal.equals("true") && !isLocal.equals("'true'")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The top-level arguments of the call whose argument list starts at {@code from} (just after its
     * parenthesis), or null where the scan cannot be sure: an unclosed list, a comment, a dollar quote.
     */
    private static List<String> arguments(String sql, int from) {
        List<String> arguments = new java.util.ArrayList<>(3);
        int depth = 0;
        int start = from;
        for (int i = from; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int close = sql.indexOf(c, i + 1);
                while (close >= 0 && close + 1 < sql.length() && sql.charAt(close + 1) == c) {
                    close = sql.indexOf(c, close + 2); // a doubled quote stands for itself
                }
                if (close < 0) {
                    return null;
                }
                i = close;
            } else if (c == '$' || sql.startsWith("--", i) || sql.startsWith("/*", i)) {
                return null;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (c == ')' || c == ',' && depth == 0) {
                arguments.add(sql.substring(start, i));
                if (c == ')') {
                    return arguments;
                }
                start = i + 1;
            }
        }
        return null;
    }

    /** Whether this statement names PostgreSQL's deadlock_timeout, which the harness otherwise steers. */
    boolean mentionsDeadlockTimeout() {
        return sql != null && sql.toLowerCase(java.util.Locale.ROOT).contains("deadlock_timeout");
    }
}
