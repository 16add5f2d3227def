package dev.lockstep.core;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where lock-core's tables live and what they are called: {@code <prefix>run}, {@code <prefix>lease} and (on
 * MariaDB) {@code <prefix>key_lock}, in {@code schema} or, without one, wherever the connection finds
 * unqualified names (PostgreSQL's {@code search_path}, MariaDB's current database). Indexes and constraints
 * take the prefix too, so two sets of tables can share one schema. The default is {@code lockstep_run},
 * {@code lockstep_lease} and {@code lockstep_key_lock}, unqualified.
 *
 * <p>Every statement lock-core sends is rendered once with these names (jOOQ's render mapping), so a
 * configured name costs nothing per call. The same names must be given to {@link Schema#install} and to
 * {@link Coordinator.Options#withTables}.
 *
 * <p>Names are unquoted SQL identifiers, and so limited to lower-case ASCII letters, digits and
 * {@code _}: each database then folds and compares them the same way, whether lock-core's statements quote
 * them or the DDL does not. A schema means a PostgreSQL schema or a MariaDB database, which must exist; SQLite
 * has none (a separate database file plays that part), and a coordinator or install on SQLite with a schema is
 * refused.
 *
 * @param schema the schema (PostgreSQL) or database (MariaDB) of the tables, or null for the connection's own
 * @param prefix what every table, index and constraint name starts with; 1 to 40 characters
 */
public record TableNames(String schema, String prefix) {

    public static final String DEFAULT_PREFIX = "lockstep_";

    /**
     * 40: PostgreSQL truncates identifiers past 63 bytes (and MariaDB refuses names past 64 characters), and the
     * longest name after the prefix is {@code run_one_active_per_key}'s 22.
     */
    public static final int MAX_PREFIX_LENGTH = 40;
    public static final int MAX_SCHEMA_LENGTH = 63;

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    /** The tables, which a schema qualifies. */
    private static final Set<String> TABLES = Set.of("run", "lease", "key_lock");
    /** Every name the shipped DDL gives (tables, indexes, constraints), after the default prefix. */
    private static final Pattern DEFAULT_NAME = Pattern.compile(
            "\\blockstep_(run|lease|key_lock|run_key_status|run_pending_by_age|run_status_age|run_one_active_per_key"
                    + "|run_status|run_key_length|lease_hash_of_key)\\b");
    // after the patterns, which the constructor uses
    /** {@code lockstep_run}, {@code lockstep_lease} and {@code lockstep_key_lock}, unqualified. */
    public static final TableNames DEFAULT = new TableNames(null, DEFAULT_PREFIX);

    public TableNames {
        Objects.requireNonNull(prefix, "prefix must not be null");
        if (prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH || !IDENTIFIER.matcher(prefix).matches()) {
            throw new IllegalArgumentException("table prefix '" + prefix + "' is not 1 to " + MAX_PREFIX_LENGTH
                    + " lower-case ASCII letters, digits and '_', starting with a letter or '_'");
        }
        if (schema != null && (schema.isEmpty() || schema.length() > MAX_SCHEMA_LENGTH || !IDENTIFIER.matcher(schema).matches())) {
            throw new IllegalArgumentException("schema '" + schema + "' is not 1 to " + MAX_SCHEMA_LENGTH
                    + " lower-case ASCII letters, digits and '_', starting with a letter or '_'");
        }
    }

    /** Tables named {@code <prefix>run}, {@code <prefix>lease} and {@code <prefix>key_lock}, unqualified. */
    public static TableNames prefix(String prefix) {
        return new TableNames(null, prefix);
    }

    /** These names in {@code schema} (a MariaDB database), or with null, in the connection's own. */
    public TableNames inSchema(String schema) {
        return new TableNames(schema, prefix);
    }

    /** The runs table's name, unqualified. */
    public String run() {
        return prefix + "run";
    }

    /** The lease table's name, unqualified. */
    public String lease() {
        return prefix + "lease";
    }

    /** MariaDB's key-lock table's name (the advisory-lock strategy's rows), unqualified. */
    public String keyLock() {
        return prefix + "key_lock";
    }

    /** The partial unique index of the running-at-creation strategy. */
    public String oneActiveRunPerKeyIndex() {
        return prefix + "run_one_active_per_key";
    }

    /** {@code table} with this schema before it, if there is one. */
    public String qualified(String table) {
        return schema == null ? table : schema + "." + table;
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /**
     * {@code sql} written with the default names, with these instead: {@code lockstep_run},
     * {@code lockstep_lease} and {@code lockstep_key_lock} become these tables (qualified when there is a
     * schema), and the shipped DDL's index and constraint names take this prefix. Other text, including
     * other names that start with {@code lockstep_}, is left as it is. What {@link Schema#ddl} and the race
     * scenarios' SQL go through; also handy for a test's own SQL.
     */
    public String rename(String sql) {
        Objects.requireNonNull(sql, "sql must not be null");
        if (isDefault()) {
            return sql;
        }
        Matcher names = DEFAULT_NAME.matcher(sql);
        StringBuilder renamed = new StringBuilder(sql.length() + 32);
        while (names.find()) {
            String suffix = names.group(1);
            String name = prefix + suffix;
            names.appendReplacement(renamed, Matcher.quoteReplacement(TABLES.contains(suffix) ? qualified(name) : name));
        }
        names.appendTail(renamed);
        return renamed.toString();
    }

    /** How a Java caller writes these names, for messages that show the fix. */
    String javaExpression() {
        String names = prefix.equals(DEFAULT_PREFIX) ? "TableNames.DEFAULT" : "TableNames.prefix(\"" + prefix + "\")";
        return schema == null ? names : names + ".inSchema(\"" + schema + "\")";
    }

    /**
     * The {@code lockstep} command's options ({@code lockstep schema}, {@code lockstep install}) that give these
     * names, each after a space, or nothing for the default: for messages that show the fix.
     */
    public String commandLineOptions() {
        return (prefix.equals(DEFAULT_PREFIX) ? "" : " --table-prefix " + prefix) + (schema == null ? "" : " --schema " + schema);
    }
}
