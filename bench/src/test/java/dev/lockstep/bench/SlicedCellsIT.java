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
        LongSupplier nanoClock = recordingTurns(turns);
        Benchmark.Options options = Benchmark.Options.quick()
                .withSubjects(Subject.RAW_JDBC, Subject.SHEDLOCK, Subject.RUNNING_AT_CREATION)
                .withThreads(1)
                .withKeys(1)
                .withWarmup(Duration.ZERO) // no JIT warm-up either, so every worker turn is a slice
                .withDuration(Duration.ofMillis(40));

        BenchmarkResult result = run(options, nanoClock);

        // four turns: forwards, backwards, forwards, backwards; a subject at a turn's end starts the next
        assertThat(options.turns()).isEqualTo(4);
        assertThat(turns).containsExactly("raw-jdbc", "shedlock", "running-at-creation", "shedlock", "raw-jdbc", "shedlock",
                "running-at-creation", "shedlock", "raw-jdbc");
        assertThat(result.cells()).extracting(CellResult::subject)
                .containsExactly(Subject.RAW_JDBC, Subject.SHEDLOCK, Subject.RUNNING_AT_CREATION);
        assertMeasuredWhole(result, Duration.ofMillis(40));
    }

    @Test
    void moreTurnsInterleaveTheSubjectsMoreOften() {
        List<String> turns = new ArrayList<>();
        Benchmark.Options options = Benchmark.Options.quick()
                .withSubjects(Subject.RAW_JDBC, Subject.RUNNING_AT_CREATION)
                .withThreads(1)
                .withKeys(1)
                .withWarmup(Duration.ZERO)
                .withTurns(6)
                .withDuration(Duration.ofMillis(60));

        BenchmarkResult result = run(options, recordingTurns(turns));

        // six turns of 10 ms: raw, rac | rac, raw | raw, rac | rac, raw | raw, rac | rac, raw
        assertThat(turns).containsExactly("raw-jdbc", "running-at-creation", "raw-jdbc", "running-at-creation", "raw-jdbc",
                "running-at-creation", "raw-jdbc");
        assertThat(result.cells()).extracting(CellResult::subject).containsExactly(Subject.RAW_JDBC, Subject.RUNNING_AT_CREATION);
        assertMeasuredWhole(result, Duration.ofMillis(60));
    }

    /** A clock that records which subject's workers ask it, once per run of asks by one subject. */
    private static LongSupplier recordingTurns(List<String> turns) {
        return () -> {
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
    }

    private static BenchmarkResult run(Benchmark.Options options, LongSupplier nanoClock) {
        try (TestDatabase database = TestDatabases.shared().create(DatabaseKind.SQLITE)) {
            return Benchmark.on(database.jdbcUrl(), options, nanoClock, Clock.systemUTC()).run();
        }
    }

    /** Every cell adds up its turns, each measured until its last cycle ended, so at least {@code duration} in all. */
    private static void assertMeasuredWhole(BenchmarkResult result, Duration duration) {
        assertThat(result.cells()).allSatisfy(cell -> {
            assertThat(cell.duration()).isGreaterThanOrEqualTo(duration);
            assertThat(cell.claims()).isPositive();
            assertThat(cell.attempts()).isEqualTo(cell.claims() + cell.rejections() + cell.errors());
        });
    }
}
