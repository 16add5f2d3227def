package dev.lockstep.core.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.QueryPart;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * A statement built with jOOQ and rendered once, then executed through JDBC with fresh values on every
 * call. Building and rendering a jOOQ query on every call cost the claim cycle about as much client CPU
 * as the JDBC driver's own work (profiled: lock-core's begin + complete took twice raw JDBC's CPU for
 * the same two statements), and under the race harness two thirds of an actor's Java time was jOOQ
 * building the create and start statements. So every statement of fixed shape is prepared once per
 * database and tuning; only claim-next's candidate query, when it excludes keys (their number varies),
 * is built and rendered per call. Every statement lock-core sends goes this one way: built with jOOQ,
 * rendered here, sent by an {@link OperationScope} with its lock-wait prefix.
 *
 * <p>Values are bound by the names given to {@link org.jooq.impl.DSL#param(String, Class)}: a name used
 * at several places of a statement is bound at each of them. A parameter with no value given keeps
 * the one it was built with (as jOOQ's own unnamed ones do, such as a {@code limit}), and a null value
 * is bound as a NULL of the parameter's type.
 */
public final class Prepared {

    /**
     * What named parameters are rendered with, to be found and replaced by {@code ?}: no SQL lock-core
     * writes contains it, and a name is a Java identifier, so the name ends where word characters end.
     */
    private static final String MARK = "\u00a7";
    private static final Pattern NAMED = Pattern.compile(MARK + "(\\w+)");

    private final String sql;
    private final List<Slot> slots;
    /** The statement after the last prefix it was sent with: one per coordinator, so built once. */
    private volatile Prefixed prefixed;

    private record Prefixed(Prefix prefix, String sql) {}

    private Prepared(String sql, List<Slot> slots) {
        this.sql = sql;
        this.slots = slots;
    }

    /** {@code query} as {@code renderer}'s dialect writes it, with its parameters in bind order. */
    public static Prepared of(DSLContext renderer, Query query) {
        Map<String, Param<?>> byName = renderer.extractParams(query);
        List<Object> values = renderer.extractBindValues(query);
        Settings marked = ((Settings) renderer.settings().clone()).withRenderNamedParamPrefix(MARK);
        // inline values (the statuses) are rendered into the SQL text, the others as MARK + name, and
        // jOOQ's own unnamed ones (a limit) as MARK + their place among the values to bind
        Matcher named = NAMED.matcher(DSL.using(renderer.dialect(), marked).renderNamedParams(query));
        List<Slot> slots = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        while (named.find()) {
            String name = named.group(1);
            Param<?> param = byName.get(name);
            if (Character.isDigit(name.charAt(0))) {
                slots.add(new Slot(null, values.get(Integer.parseInt(name) - 1), Types.OTHER));
            } else if (param != null) {
                slots.add(new Slot(name, param.getValue(), param.getDataType().getSQLType()));
            } else {
                throw new IllegalStateException("jOOQ rendered a parameter '" + name + "' it did not list, in " + renderer.render(query));
            }
            named.appendReplacement(sql, "?");
        }
        named.appendTail(sql);
        if (slots.size() != values.size()) {
            throw new IllegalStateException(values.size() + " values to bind but " + slots.size() + " placeholders in " + sql);
        }
        return new Prepared(sql.toString(), List.copyOf(slots));
    }

    /**
     * What a scope sends in front of a statement, in the same round trip: a statement of its own that
     * returns one row ({@code separate}: PostgreSQL's {@code select set_config(...)}), or a clause the
     * statement begins with (MariaDB's {@code SET STATEMENT ... FOR }), which adds no result.
     */
    public record Prefix(String sql, boolean separate) {}

    /** One {@code ?}: bound by {@code name} (null: never), else to {@code built}, a null as a NULL of {@code sqlType}. */
    record Slot(String name, Object built, int sqlType) {}

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
     * Executes the statement, after {@code prefix} (or null) in the same round trip; returns the
     * statement's update count.
     */
    int update(Connection connection, Map<String, ?> values, Prefix prefix) {
        try (PreparedStatement statement = bound(connection, values, prefix)) {
            if (prefix == null || !prefix.separate()) {
                return statement.executeUpdate();
            }
            // the prefix's one row comes first; the statement's own result is the next
            statement.execute();
            statement.getMoreResults();
            return statement.getUpdateCount();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Reads one row of a result set (or, given to {@code query}, the whole result). */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /**
     * Executes the statement, after {@code prefix} (as for {@link #update}); returns its first row as
     * {@code reader} reads it, if it returned a row (empty too when the reader reads it as null).
     */
    <T> Optional<T> fetchFirst(Connection connection, Map<String, ?> values, Prefix prefix, RowReader<T> reader) {
        return query(connection, values, prefix, rows -> rows.next() ? Optional.ofNullable(reader.read(rows)) : Optional.empty());
    }

    /** As {@link #fetchFirst}, returning every row as {@code reader} reads it. */
    <T> List<T> fetchAll(Connection connection, Map<String, ?> values, Prefix prefix, RowReader<T> reader) {
        return query(connection, values, prefix, rows -> {
            List<T> read = new ArrayList<>();
            while (rows.next()) {
                read.add(reader.read(rows));
            }
            return read;
        });
    }

    private <T> T query(Connection connection, Map<String, ?> values, Prefix prefix, RowReader<T> resultReader) {
        boolean separate = prefix != null && prefix.separate();
        try (PreparedStatement statement = bound(connection, values, prefix)) {
            if (separate) {
                statement.execute();
                statement.getMoreResults();
            }
            try (ResultSet rows = separate ? statement.getResultSet() : statement.executeQuery()) {
                return resultReader.read(rows);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private PreparedStatement bound(Connection connection, Map<String, ?> values, Prefix prefix) throws SQLException {
        // the prefix binds no values, so the statement's parameters keep their positions
        PreparedStatement statement = connection.prepareStatement(prefix == null ? sql : withPrefix(prefix));
        try {
            for (int i = 0; i < slots.size(); i++) {
                Slot slot = slots.get(i);
                Object value = slot.name() != null && values.containsKey(slot.name()) ? values.get(slot.name()) : slot.built();
                if (value == null) {
                    statement.setNull(i + 1, slot.sqlType());
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

    private String withPrefix(Prefix prefix) {
        Prefixed composite = prefixed;
        if (composite == null || !composite.prefix().equals(prefix)) {
            composite = new Prefixed(prefix, prefix.sql() + (prefix.separate() ? ";\n" : "") + sql);
            prefixed = composite;
        }
        return composite.sql();
    }

    private DataAccessException failure(SQLException e) {
        return new DataAccessException("SQL [" + sql + "]; " + e.getMessage(), e);
    }

    /** What is bound to each {@code ?}, in order (a name used twice is there twice). */
    List<Slot> slots() {
        return slots;
    }

    @Override
    public String toString() {
        return sql;
    }
}
