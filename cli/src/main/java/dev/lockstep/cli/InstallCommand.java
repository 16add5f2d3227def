package dev.lockstep.cli;

import dev.lockstep.core.DatabaseException;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.core.TableNames;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lockstep install}: installs the DDL into a database, idempotently. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Install lockstep's tables (and the strategy's index) into a database; installing twice changes nothing.")
final class InstallCommand implements Callable<Integer> {

    @Option(names = "--db", required = true, description = "jdbc:sqlite:FILE, jdbc:postgresql://HOST:PORT/DATABASE?user=USER or jdbc:mariadb://HOST:PORT/DATABASE?user=USER")
    String db;

    @Option(names = "--strategy", defaultValue = "advisory-lock", description = "default advisory-lock")
    String strategy;

    @Mixin
    TableNameOptions names;

    @Override
    public Integer call() {
        Strategy s = Catalogue.strategy(strategy);
        names.ddl(Target.kind(db), s); // names the database cannot honour are refused before it is opened
        TableNames tables = names.tables();
        try (Target target = Target.direct(db)) {
            Schema.install(target.dataSource(), s, tables);
            System.out.println("installed the lockstep schema for " + s.label() + " into " + target.description()
                    + (tables.isDefault() ? "" : " as " + tables.qualified(tables.prefix() + "*")));
            return 0;
        } catch (DatabaseException e) {
            throw new CommandFailure(e.getMessage().lines().findFirst().orElse("install failed"));
        }
    }
}
