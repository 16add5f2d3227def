package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * A cell that fails part-way stops its other workers instead of leaving them to loop until the deadline; a
 * holder keeps its key for the cell's work.
 */
class CellRunnerIT {

    private static final String FIRST_WORKER = "lockstep-bench-raw-jdbc-1";

    @Test
    void aWorkerThatDiesStopsTheCellAndItsOtherWorkers() {
        Map<String, Thread> workers = new ConcurrentHashMap<>();
        LongSupplier nanoClock = () -> {
            Thread current = Thread.currentThread();
            if (current.getName().startsWith("lockstep-bench-")) {
                workers.put(current.getName(), current);
                if (current.getName().equals(FIRST_WORKER)) {
                    throw new Error("planted in the first worker");
                }
            }
            return System.nanoTime();
        };
        CellRunner runner = new CellRunner(nanoClock, Clock.systemUTC());
        // the other worker would loop for a minute if nothing stopped it
        CellRunner.Cell cell = new CellRunner.Cell(Subject.RAW_JDBC, 2, 1, Duration.ZERO, Duration.ofMinutes(1), Duration.ZERO, 7);

        try (TestDatabase database = TestDatabases.shared().create(DatabaseKind.SQLITE)) {
            assertThatThrownBy(() -> runner.run(database.dataSource(), cell))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("a worker of raw-jdbc at 2 threads x 1 key died: java.lang.Error: planted in the first worker");
        }

        assertThat(workers).containsOnlyKeys(FIRST_WORKER, "lockstep-bench-raw-jdbc-2");
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.values().stream().noneMatch(Thread::isAlive));
    }

    @Test
    void eachClaimHoldsItsKeyForTheWorkAtLeast() {
        CellRunner runner = new CellRunner(System::nanoTime, Clock.systemUTC());
        // one thread, 200 ms, 20 ms a claim: a claim starts only before the deadline, so at most 10 of them
        CellRunner.Cell cell = new CellRunner.Cell(Subject.RAW_JDBC, 1, 1, Duration.ZERO, Duration.ofMillis(200),
                Duration.ofMillis(20), 7);

        try (TestDatabase database = TestDatabases.shared().create(DatabaseKind.SQLITE)) {
            CellResult result = runner.run(database.dataSource(), cell);

            assertThat(result.claims()).isBetween(1L, 10L).isEqualTo(result.attempts());
            assertThat(result.p50Micros()).isGreaterThanOrEqualTo(19_900);
            assertThat(result.errors()).isZero();
        }
    }
}
