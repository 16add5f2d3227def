package dev.lockstep.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lockstep schema}: prints the shipped DDL. */
@Command(name = "schema", mixinStandardHelpOptions = true, description = "Print the DDL lockstep needs, for your migration tool.")
final class SchemaCommand implements Callable<Integer> {

    @Option(names = "--db", required = true, description = "sqlite, postgresql or mariadb")
    String db;

    @Option(names = "--strategy", defaultValue = "advisory-lock",
            description = "the strategy (running-at-creation adds its partial unique index); default advisory-lock")
    String strategy;

    @Mixin
    TableNameOptions names;

    @Override
    public Integer call() {
        System.out.println(names.ddl(Target.kind(db), Catalogue.strategy(strategy)));
        return 0;
    }
}
