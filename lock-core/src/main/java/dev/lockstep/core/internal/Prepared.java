package dev.lockstep.core.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.QueryPart;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * A statement built with jOOQ and rendered once, then executed through JDBC with fresh values on every
 * call. Building and rendering a jOOQ query on every call cost the claim cycle about as much client CPU
 * as the JDBC driver's own work (profiled: lock-core's begin + complete took twice raw JDBC's CPU for
 * the same two statements), and under the race harness two thirds of an actor's Java time was jOOQ
 * building the create and start statements. So every statement of fixed shape is prepared once per
 * database and tuning; only claim-next's candidate query (its excluded keys vary in number) and the
 * stale-run sweep are built per call.
 *
 * <p>Values are bound by the names given to {@link org.jooq.impl.DSL#param(String, Class)}, so each
 * parameter of a statement needs a name of its own; a parameter with no value given keeps the one it
 * was built with, and a null value is bound as a NULL of the parameter's type.
 */
public final class Prepared {

    private final String sql;
    private final List<Param<?>> params;
    /** The statement after the last prefix it was sent with: one per coordinator, so built once. */
    private volatile String prefixed;

    private Prepared(String sql, List<Param<?>> params) {
        this.sql = sql;
        this.params = params;
    }

    /** {@code query} as {@code renderer}'s dialect writes it, with its parameters in bind order. */
    public static Prepared of(DSLContext renderer, Query query) {
        // inline values (the statuses) are rendered into the SQL text; only the others are bound
        List<Param<?>> params = renderer.extractParams(query).values().stream().filter(param -> !param.isInline()).toList();
        int bound = renderer.extractBindValues(query).size();
        if (bound != params.size()) {
            // parameters are found by name, so two with one name would leave a position unbound
            throw new IllegalArgumentException("every bind parameter needs a name of its own: " + bound
                    + " values to bind but " + params.size() + " distinct parameters in " + renderer.render(query));
        }
        return new Prepared(renderer.render(query), params);
    }

    /**
     * {@code statement} with {@code suffix} and {@code RETURNING column}, as one statement on both
     * databases (SQLite has RETURNING since 3.35): jOOQ renders RETURNING for PostgreSQL only, and
     * emulates it on SQLite with a second statement.
     */
    public static Prepared returning(DSLContext renderer, Query statement, String suffix, String column) {
        return returning(renderer, statement, suffix, List.of(DSL.name(column)));
    }

    /** As {@link #returning(DSLContext, Query, String, String)}, returning {@code columns} (unqualified names or aliased values). */
    public static Prepared returning(DSLContext renderer, Query statement, String suffix, List<? extends QueryPart> columns) {
        return of(renderer, renderer.resultQuery("{0}" + suffix + " returning {1}", statement, DSL.list(columns)));
    }

    /**
     * Executes the statement, after {@code prefix} (a statement returning one row, or null) in the same
     * round trip; returns the statement's update count.
     */
    int update(Connection connection, Map<String, ?> values, String prefix) {
        try (PreparedStatement statement = bound(connection, values, prefix)) {
            if (prefix == null) {
                return statement.executeUpdate();
            }
            // as AfterPrefix does for jOOQ's statements, without a proxy on the claim cycle's path
            statement.execute();
            statement.getMoreResults();
            return statement.getUpdateCount();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Reads one row of a result set. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /**
     * Executes the statement, after {@code prefix} (as for {@link #update}); returns its first row as
     * {@code reader} reads it, if it returned a row (empty too when the reader reads it as null).
     */
    <T> Optional<T> fetchFirst(Connection connection, Map<String, ?> values, String prefix, RowReader<T> reader) {
        try (PreparedStatement statement = bound(connection, values, prefix)) {
            if (prefix != null) {
                statement.execute();
                statement.getMoreResults();
            }
            try (ResultSet rows = prefix == null ? statement.executeQuery() : statement.getResultSet()) {
                return rows.next() ? Optional.ofNullable(reader.read(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private PreparedStatement bound(Connection connection, Map<String, ?> values, String prefix) throws SQLException {
        // the prefix binds no values, so the statement's parameters keep their positions
        PreparedStatement statement = connection.prepareStatement(prefix == null ? sql : withPrefix(prefix));
        try {
            for (int i = 0; i < params.size(); i++) {
                Param<?> param = params.get(i);
                String name = param.getParamName();
                Object value = name != null && values.containsKey(name) ? values.get(name) : param.getValue();
                if (value == null) {
                    statement.setNull(i + 1, param.getDataType().getSQLType());
                } else {
                    statement.setObject(i + 1, value);
                }
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private String withPrefix(String prefix) {
        String composite = prefixed;
        if (composite == null || !composite.startsWith(prefix)) {
            composite = prefix + ";\n" + sql;
            prefixed = composite;
        }
        return composite;
    }

    private DataAccessException failure(SQLException e) {
        return new DataAccessException("SQL [" + sql + "]; " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return sql;
    }
}
