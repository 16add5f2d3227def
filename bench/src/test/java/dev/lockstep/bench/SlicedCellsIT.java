package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** The subjects of one contention level take turns, forwards and backwards, so that none is favoured by when it ran. */
class SlicedCellsIT {

    private static final String WORKER_PREFIX = "lockstep-bench-";

    @Test
    void theSubjectsOfOneLevelTakeTurnsInOrderThenInReverseAndEachCellAddsUpItsSlices() {
        List<String> turns = new ArrayList<>();
        LongSupplier nanoClock = () -> {
            String thread = Thread.currentThread().getName();
            if (thread.startsWith(WORKER_PREFIX)) {
                String subject = thread.substring(WORKER_PREFIX.length(), thread.lastIndexOf('-'));
                synchronized (turns) {
                    if (turns.isEmpty() || !turns.get(turns.size() - 1).equals(subject)) {
                        turns.add(subject);
                    }
                }
            }
            return System.nanoTime();
        };
        Benchmark.Options options = Benchmark.Options.quick()
                .withSubjects(Subject.RAW_JDBC, Subject.SHEDLOCK, Subject.RUNNING_AT_CREATION)
                .withThreads(1)
                .withKeys(1)
                .withWarmup(Duration.ZERO) // no JIT warm-up either, so every worker turn is a slice
                .withDuration(Duration.ofMillis(40));

        BenchmarkResult result;
        try (TestDatabase database = TestDatabases.shared().create(DatabaseKind.SQLITE)) {
            result = Benchmark.on(database.jdbcUrl(), options, nanoClock, Clock.systemUTC()).run();
        }

        // four slices: forwards, backwards, forwards, backwards; a subject at a turn's end starts the next
        assertThat(turns).containsExactly("raw-jdbc", "shedlock", "running-at-creation", "shedlock", "raw-jdbc", "shedlock",
                "running-at-creation", "shedlock", "raw-jdbc");
        assertThat(Benchmark.SLICES).isEqualTo(4);
        assertThat(result.cells()).extracting(CellResult::subject)
                .containsExactly(Subject.RAW_JDBC, Subject.SHEDLOCK, Subject.RUNNING_AT_CREATION);
        assertThat(result.cells()).allSatisfy(cell -> {
            // four slices of 10 ms each, every one measured until its last cycle ended
            assertThat(cell.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(40));
            assertThat(cell.claims()).isPositive();
            assertThat(cell.attempts()).isEqualTo(cell.claims() + cell.rejections() + cell.errors());
        });
    }
}
