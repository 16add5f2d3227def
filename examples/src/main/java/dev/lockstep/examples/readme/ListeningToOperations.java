package dev.lockstep.examples.readme;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Strategy;
import java.lang.System.Logger;
import javax.sql.DataSource;

/** The README's "Listening to operations": a coordinator that logs every operation it performs. */
final class ListeningToOperations {

    private static final Logger log = System.getLogger("lockstep.runs");

    private ListeningToOperations() {}

    static Coordinator logged(DataSource dataSource) {
        Coordinator runs = Coordinator.create(dataSource, Strategy.RUNNING_AT_CREATION)
                .withListener(event -> log.log(Logger.Level.DEBUG, "{0} {1} of run {2} in {3} ms", event.operation().tag(),
                        event.outcome().tag(), event.runId(), event.duration().toMillis()));
        return runs;
    }
}
