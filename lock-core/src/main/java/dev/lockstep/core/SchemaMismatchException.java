package dev.lockstep.core;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Coordinator#create} found the schema without something its strategy needs: a table, a column,
 * or (running-at-creation) the partial unique index without which two runs of one key could both be
 * active. Nothing was written. The message lists every problem and the fix.
 */
public final class SchemaMismatchException extends LockstepException {

    private static final long serialVersionUID = 1L;

    private final Database database;
    private final Strategy strategy;
    private final TableNames tables;
    private final List<String> problems;

    /**
     * @param missing objects that do not exist, which {@link Schema#install} creates
     * @param misfits objects that exist but differ from the shipped DDL, which install leaves as they are
     */
    public SchemaMismatchException(Database database, Strategy strategy, List<String> missing, List<String> misfits) {
        this(database, strategy, TableNames.DEFAULT, missing, misfits);
    }

    /** As above, for the tables {@code tables} names, which the fix the message gives names too. */
    public SchemaMismatchException(Database database, Strategy strategy, TableNames tables, List<String> missing, List<String> misfits) {
        this(database, strategy, tables, problems(missing, misfits), !misfits.isEmpty());
    }

    private SchemaMismatchException(Database database, Strategy strategy, TableNames tables, List<String> problems, boolean misfits) {
        super(message(database, strategy, tables, problems, misfits));
        this.database = database;
        this.strategy = strategy;
        this.tables = tables;
        this.problems = problems;
    }

    private static List<String> problems(List<String> missing, List<String> misfits) {
        List<String> problems = new ArrayList<>(missing.stream().map(object -> object + " is missing").toList());
        problems.addAll(misfits);
        return List.copyOf(problems);
    }

    private static String message(Database database, Strategy strategy, TableNames tables, List<String> problems, boolean misfits) {
        StringBuilder message = new StringBuilder("the lockstep schema on ").append(database)
                .append(" lacks what strategy ").append(strategy.label()).append(" needs: ");
        message.append(String.join("; ", problems)).append(". ");
        String names = tables.isDefault() ? "" : ", " + tables.javaExpression();
        String install = "Schema.install(dataSource, Strategy." + strategy.name() + names + ") (or: lockstep install --db <jdbc-url> --strategy "
                + strategy.label() + tables.commandLineOptions() + ")";
        if (!misfits) {
            message.append("Run ").append(install).append(": it creates what is missing and leaves the rest as it is.");
        } else {
            message.append("Install cannot change objects that exist: migrate or drop them to match Schema.ddl(Database.")
                    .append(database.name()).append(", Strategy.").append(strategy.name()).append(names).append("), then run ").append(install).append('.');
        }
        return message.toString();
    }

    public Database database() {
        return database;
    }

    /** The strategy whose needs were checked. */
    public Strategy strategy() {
        return strategy;
    }

    /** The names of the tables that were checked. */
    public TableNames tables() {
        return tables;
    }

    /** Each problem found, e.g. {@code index lockstep_run_one_active_per_key is missing}. */
    public List<String> problems() {
        return problems;
    }
}
