package dev.lockstep.harness.scheduler;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of a physical connection that the code under test may change through JDBC setters
 * (autocommit, transaction isolation, read-only, catalog, schema), as they were when the harness
 * opened it, and which of them the code has changed since ("dirty bits", as HikariCP keeps them).
 *
 * <ol>
 *   <li>The original values are read once, when the connection is opened (autocommit on, no
 *       transaction). A value the driver cannot read is remembered as unreadable, with the reason.
 *   <li>The wrapper marks a setting changed when the code under test called its setter and the
 *       driver accepted it.
 *   <li>When the connection is handed back, and at the end of every run, after its transaction has
 *       ended, {@link #restore} puts back the original value of each changed setting, and only those.
 * </ol>
 *
 * So one schedule's settings never leak into the next. Touched by the actor's thread during a run and
 * by the scheduler's after it (the run's lock orders the two).
 */
final class ConnectionState {

    /** A setting the code under test may change; {@link #setter} is the JDBC method that changes it. */
    enum Setting {
        AUTO_COMMIT("setAutoCommit"),
        ISOLATION("setTransactionIsolation"),
        READ_ONLY("setReadOnly"),
        CATALOG("setCatalog"),
        SCHEMA("setSchema");

        final String setter;

        Setting(String setter) {
            this.setter = setter;
        }

        /** The setting {@code method} (a {@link Connection} method name) changes, or null. */
        static Setting changedBy(String method) {
            for (Setting setting : values()) {
                if (setting.setter.equals(method)) {
                    return setting;
                }
            }
            return null;
        }

        /** The call as the trace shows it, e.g. {@code setTransactionIsolation(SERIALIZABLE)}, {@code setSchema('audit')}. */
        String call(Object value) {
            return setter + "(" + (this == ISOLATION && value instanceof Integer level ? isolationName(level) : literal(value)) + ")";
        }
    }

    private final boolean autoCommit;
    private final int isolation;
    private final boolean readOnly;
    private final String catalog;
    private final String schema;
    /** Settings whose original value the driver could not tell, with the reason. */
    private final Map<Setting, String> unreadable = new EnumMap<>(Setting.class);
    private final EnumSet<Setting> changed = EnumSet.noneOf(Setting.class);
    /** The value the code under test last set, per setting it set since the last restore. */
    private final Map<Setting, Object> current = new EnumMap<>(Setting.class);

    /** Reads the settings of {@code raw}, freshly opened and prepared by the harness. */
    ConnectionState(Connection raw) throws SQLException {
        this.autoCommit = raw.getAutoCommit();
        this.isolation = read(Setting.ISOLATION, raw::getTransactionIsolation, Connection.TRANSACTION_NONE);
        this.readOnly = read(Setting.READ_ONLY, raw::isReadOnly, false);
        this.catalog = read(Setting.CATALOG, raw::getCatalog, null);
        this.schema = read(Setting.SCHEMA, raw::getSchema, null);
    }

    @FunctionalInterface
    private interface Getter<T> {
        T get() throws SQLException;
    }

    private <T> T read(Setting setting, Getter<T> getter, T unknown) {
        try {
            return getter.get();
        } catch (SQLException | UnsupportedOperationException | AbstractMethodError e) {
            // the driver cannot tell (sqlite-jdbc and pgjdbc can): restoring it is refused only if the code changes it
            unreadable.put(setting, e.getClass().getSimpleName() + ": " + e.getMessage());
            return unknown;
        }
    }

    /** The code under test changed {@code setting}, to a value the harness does not know (the call failed halfway, say). */
    void changed(Setting setting) {
        changed.add(setting);
        current.remove(setting);
    }

    /** The code under test set {@code setting} to {@code value}, and the driver accepted it. */
    void set(Setting setting, Object value) {
        changed.add(setting);
        current.put(setting, value);
    }

    /**
     * Whether the connection already has {@code value} for {@code setting} (not autocommit, which the driver itself
     * tells), as far as JDBC tells: the code under test set it so since the last restore, or, for read-only (which
     * only its setter changes), it is the value the connection was opened with. A trace shows a setter only when it
     * changes something.
     */
    boolean has(Setting setting, Object value) {
        if (current.containsKey(setting)) {
            return Objects.equals(current.get(setting), value);
        }
        // SQL (SET search_path, SET SESSION CHARACTERISTICS, USE) may have changed the others behind JDBC's back
        return setting == Setting.READ_ONLY && !unreadable.containsKey(setting) && Boolean.valueOf(readOnly).equals(value);
    }

    /** Whether the code under test changed any setting since the last restore. */
    boolean dirty() {
        return !changed.isEmpty();
    }

    /**
     * Puts back the original value of every setting the code changed, on a connection whose transaction
     * has ended. Autocommit goes first: some drivers refuse the others inside a transaction.
     *
     * @throws SQLException when the driver refuses, or a changed setting's original value was unreadable
     */
    void restore(Connection raw, Blocking database) throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        for (Setting setting : Setting.values()) {
            if (!changed.contains(setting)) {
                continue;
            }
            String why = unreadable.get(setting);
            if (why != null) {
                throw new SQLException("the code under test called " + setting.setter + ", and the harness cannot put the original value"
                        + " back for the next run: the driver could not tell it when the connection was opened (" + why + ")");
            }
            switch (setting) {
                case AUTO_COMMIT -> {
                    if (raw.getAutoCommit() != autoCommit) {
                        raw.setAutoCommit(autoCommit);
                    }
                }
                case ISOLATION -> raw.setTransactionIsolation(isolation);
                case READ_ONLY -> raw.setReadOnly(readOnly);
                case CATALOG -> raw.setCatalog(catalog);
                case SCHEMA -> database.restoreSchema(raw, schema);
            }
            changed.remove(setting);
            current.remove(setting);
        }
    }

    /** e.g. {@code SERIALIZABLE}, the name of the {@code Connection.TRANSACTION_} constant; the number for any other. */
    static String isolationName(int level) {
        return switch (level) {
            case Connection.TRANSACTION_NONE -> "NONE";
            case Connection.TRANSACTION_READ_UNCOMMITTED -> "READ_UNCOMMITTED";
            case Connection.TRANSACTION_READ_COMMITTED -> "READ_COMMITTED";
            case Connection.TRANSACTION_REPEATABLE_READ -> "REPEATABLE_READ";
            case Connection.TRANSACTION_SERIALIZABLE -> "SERIALIZABLE";
            default -> String.valueOf(level);
        };
    }

    private static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof String text) {
            return "'" + text.replace("'", "''") + "'";
        }
        return String.valueOf(value);
    }
}
