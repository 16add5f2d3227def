package dev.lockstep.cli;

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
}
