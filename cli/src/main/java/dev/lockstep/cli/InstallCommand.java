package dev.lockstep.cli;

import dev.lockstep.core.DatabaseException;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockstep install}: installs the DDL into a database, idempotently. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Install lockstep's tables (and the strategy's index) into a database; installing twice changes nothing.")
final class InstallCommand implements Callable<Integer> {

    @Option(names = "--db", required = true, description = "jdbc:sqlite:FILE, jdbc:postgresql://HOST:PORT/DATABASE?user=USER or jdbc:mariadb://HOST:PORT/DATABASE?user=USER")
    String db;

    @Option(names = "--strategy", defaultValue = "advisory-lock", description = "default advisory-lock")
    String strategy;

    @Override
    public Integer call() {
        Strategy s = Catalogue.strategy(strategy);
        try (Target target = Target.direct(db)) {
            Schema.install(target.dataSource(), s);
            System.out.println("installed the lockstep schema for " + s.label() + " into " + target.description());
            return 0;
        } catch (DatabaseException e) {
            throw new CommandFailure(e.getMessage().lines().findFirst().orElse("install failed"));
        }
    }
}
