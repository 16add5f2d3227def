package dev.lockstep.harness.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a call an actor made through JDBC came to, as the trace shows it: a statement, commit or
 * rollback ({@link TraceEvent.Step}, {@link TraceEvent.Completed}), or a change of a connection
 * setting ({@link TraceEvent.Setting}). Not the result of an isolationtester-style session step,
 * which is {@link dev.lockstep.dsl.Session.StepResult}.
 */
public sealed interface CallResult {

    /**
     * A query; {@code rows} is how many rows the actor read from it (counted as it reads). {@code columns} are the
     * result's column labels and {@code firstRows} the values of the first rows read (at most
     * {@link #ROWS_SHOWN}), each as {@link java.sql.ResultSet#getObject(int)} gave it, or as a text where the
     * value lived only as long as the result set (a {@code Blob}, {@code Clob} or {@code Array}); both are empty
     * when nothing was read.
     */
    record Rows(int rows, List<String> columns, List<List<Object>> firstRows) implements CallResult {

        /** How many rows a trace keeps the values of, per query. */
        public static final int ROWS_SHOWN = 3;

        public Rows {
            columns = List.copyOf(columns);
            firstRows = firstRows.stream().map(row -> Collections.unmodifiableList(new ArrayList<>(row))).toList();
        }

        /** A query whose values the trace did not keep. */
        public Rows(int rows) {
            this(rows, List.of(), List.of());
        }
    }

    /**
     * An update, insert or delete, or a batch ({@code count} summed). {@code keyColumns} and {@code keys} are the
     * generated keys the actor read ({@link java.sql.Statement#getGeneratedKeys()}), the first
     * {@link Rows#ROWS_SHOWN} rows of them, as {@link Rows} keeps values; both empty when it read none.
     */
    record Updated(int count, List<String> keyColumns, List<List<Object>> keys) implements CallResult {

        public Updated {
            keyColumns = List.copyOf(keyColumns);
            keys = keys.stream().map(row -> Collections.unmodifiableList(new ArrayList<>(row))).toList();
        }

        /** An update whose generated keys were not read. */
        public Updated(int count) {
            this(count, List.of(), List.of());
        }
    }

    /** A commit, rollback, setting or statement with no result to show. */
    record Done() implements CallResult {}

    /**
     * A commit that the database turned into a rollback: the transaction had already failed (PostgreSQL
     * answers {@code COMMIT} in an aborted transaction with {@code ROLLBACK}, and no error).
     */
    record RolledBack() implements CallResult {}

    /** The database made the actor wait (a lock held by another actor); see the matching Completed event. */
    record Waiting() implements CallResult {}

    /**
     * The database or the driver refused it. {@code vendorCode}: the database's own error number
     * ({@link java.sql.SQLException#getErrorCode()}; 0 when there is none), which tells apart errors
     * that share a SQLSTATE, such as MariaDB's deadlock 1213 among the 40001s.
     */
    record Failed(String sqlState, int vendorCode, String message) implements CallResult {
        public Failed(String sqlState, String message) {
            this(sqlState, 0, message);
        }
    }
}
