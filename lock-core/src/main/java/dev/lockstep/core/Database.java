package dev.lockstep.core;

import dev.lockstep.core.internal.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The databases lock-core runs on. */
public enum Database {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql"),
    /** MariaDB 10.6 or later, InnoDB tables. MySQL is not supported yet. */
    MARIADB("mariadb");

    private final String folder;

    Database(String folder) {
        this.folder = folder;
    }

    /** The folder of this database's DDL files under {@code dev/lockstep/core/schema/}. */
    String schemaFolder() {
        return folder;
    }

    /**
     * The database clock now, in epoch milliseconds, as a SQL expression: what lock-core stamps a run's
     * times with and judges staleness by. For SQL of your own over the runs table, such as a query for
     * runs that have gone quiet: {@code "... WHERE last_activity_at < " + database.nowMillisSql() + " - 60000"}.
     */
    public String nowMillisSql() {
        return Dialect.of(this).nowMillis();
    }

    /** The database behind this connection, from its metadata. */
    public static Database of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String lower = product.toLowerCase(Locale.ROOT);
        if (lower.contains("sqlite")) {
            return SQLITE;
        }
        if (lower.contains("postgres")) {
            return POSTGRESQL;
        }
        if (lower.contains("mariadb")) {
            return MARIADB;
        }
        throw new IllegalArgumentException("lock-core does not support " + product + " yet; it supports SQLite, PostgreSQL and"
                + " MariaDB (10.6 or later)" + (lower.contains("mysql") ? ". MySQL is not supported yet (the MariaDB driver on a"
                + " MySQL server reports MySQL too)" : ""));
    }
}
