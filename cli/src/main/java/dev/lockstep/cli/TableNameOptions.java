package dev.lockstep.cli;

import dev.lockstep.core.Database;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.core.TableNames;
import picocli.CommandLine.Option;

/** {@code --table-prefix} and {@code --schema}: where lockstep's tables are and what they are called. */
final class TableNameOptions {

    @Option(names = "--table-prefix", defaultValue = TableNames.DEFAULT_PREFIX,
            description = "what every table, index and constraint name starts with; default ${DEFAULT-VALUE}")
    String prefix;

    @Option(names = "--schema",
            description = "the PostgreSQL schema or MariaDB database of the tables (it must exist); default: the connection's own")
    String schema;

    /** The names given, or a usage failure (exit 2) that says what is wrong with them. */
    TableNames tables() {
        try {
            return new TableNames(schema, prefix);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage());
        }
    }

    /**
     * The DDL of {@code strategy} on {@code database} under these names, or a usage failure (exit 2) when the
     * database cannot honour them (a schema on SQLite): checked before any database is opened.
     */
    String ddl(Database database, Strategy strategy) {
        TableNames tables = tables();
        try {
            return Schema.ddl(database, strategy, tables);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(e.getMessage());
        }
    }
}
