package dev.lockstep.examples.readme;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.core.TableNames;
import javax.sql.DataSource;

/** README, "Table names": lockstep's tables under another prefix, in a schema of their own. */
final class TableNamesSnippet {

    private TableNamesSnippet() {}

    static Coordinator snippet(DataSource dataSource) {
        TableNames tables = TableNames.prefix("billing_").inSchema("jobs");   // jobs.billing_run, jobs.billing_lease
        Schema.install(dataSource, Strategy.RUNNING_AT_CREATION, tables);
        Coordinator runs = Coordinator.create(dataSource,
                Coordinator.Options.of(Strategy.RUNNING_AT_CREATION).withTables(tables));
        return runs;
    }
}
