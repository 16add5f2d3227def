package dev.lockstep.contract.fault;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.Strategy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The child JVM of {@link KilledJvmIT}: begins a run under managed execution, says so on standard output,
 * and then works forever, heartbeating, until it is killed.
 *
 * <p>Arguments: JDBC URL, strategy label, staleAfter in milliseconds, key.
 */
public final class HeldRunChild {

    private HeldRunChild() {}

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(args[0]);
        Coordinator runs = Coordinator.create(dataSource,
                Coordinator.Options.of(Strategy.fromLabel(args[1])).withStaleAfter(Duration.ofMillis(Long.parseLong(args[2]))));
        runs.staleRuns(1); // loads and warms what a begin needs, so a cold JVM's first begin is not its slowest step
        runs.execute(args[3], "deploy", "child-jvm", held -> {
            System.out.println("HELD " + held.claim().runId() + " " + held.claim().fence());
            System.out.flush();
            new CountDownLatch(1).await(); // never counted down: the parent kills this JVM
            return null;
        });
    }
}
