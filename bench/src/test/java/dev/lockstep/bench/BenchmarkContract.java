package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny benchmark — every subject, 2 threads, 2 keys, 300 ms per cell — run once per database; the
 * tests assert the relations that must hold whatever the machine's speed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BenchmarkContract {

    private final DatabaseKind kind;
    private TestDatabase database;
    private BenchmarkResult result;
    private final List<Progress> progress = new ArrayList<>();

    BenchmarkContract(DatabaseKind kind) {
        this.kind = kind;
    }

    @BeforeAll
    void runTinyBenchmark() {
        database = TestDatabases.shared().create(kind);
        Benchmark.Options options = Benchmark.Options.quick().withThreads(2).withKeys(2)
                .withDuration(Duration.ofMillis(300)).withWarmup(Duration.ofMillis(100));
        result = Benchmark.on(database.jdbcUrl(), options).run(progress::add);
    }

    @AfterAll
    void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void every_subject_is_measured_once_and_progress_counts_every_cell() {
        assertThat(result.cells()).extracting(CellResult::subject).containsExactly(Subject.values());
        assertThat(progress).extracting(Progress::cellsDone).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(progress).extracting(Progress::cellsTotal).containsOnly(7);
        assertThat(progress).extracting(Progress::finished).containsExactlyElementsOf(result.cells());
    }

    @Test
    void every_attempt_ends_as_exactly_one_claim_rejection_or_error_and_none_errs() {
        assertThat(result.cells()).allSatisfy(cell -> {
            assertThat(cell.claims() + cell.rejections() + cell.errors()).as(cell.subject().label()).isEqualTo(cell.attempts());
            assertThat(cell.errors()).as(cell.subject() + " errors: " + cell.errorKinds()).isZero();
            assertThat(cell.claims()).as(cell.subject().label()).isPositive();
            assertThat(cell.p50Micros()).isLessThanOrEqualTo(cell.p99Micros());
            assertThat(cell.p99Micros()).isLessThanOrEqualTo(cell.p999Micros());
        });
    }

    @Test
    void a_lone_worker_is_never_refused() {
        Benchmark.Options alone = Benchmark.Options.quick().withThreads(1).withKeys(1)
                .withSubjects(Subject.RUNNING_AT_CREATION, Subject.RAW_JDBC, Subject.SHEDLOCK)
                .withDuration(Duration.ofMillis(200)).withWarmup(Duration.ofMillis(50));

        BenchmarkResult lone = Benchmark.on(database.jdbcUrl(), alone).run();

        assertThat(lone.cells()).allSatisfy(cell -> {
            assertThat(cell.rejections()).as(cell.subject().label()).isZero();
            assertThat(cell.errors()).as(cell.subject().label()).isZero();
            assertThat(cell.claims()).as(cell.subject().label()).isEqualTo(cell.attempts());
        });
    }

    @Test
    void no_safe_subject_lets_two_holders_of_one_key_overlap() {
        // the pending guard is left out: concurrent begins can break its precondition (its documented limit)
        assertThat(result.cells()).filteredOn(cell -> cell.subject().safety() == Subject.Safety.SAFE)
                .allSatisfy(cell -> assertThat(cell.violations()).as(cell.subject().label()).isZero());
    }

    @Test
    void the_recommendation_is_a_safe_strategy() {
        assertThat(result.recommendation().subject()).hasValueSatisfying(subject -> {
            assertThat(subject.isSafe()).isTrue();
            assertThat(subject.isReference()).isFalse();
        });
        assertThat(result.recommendation().explanation()).contains("naive-guard (unsafe by design");
    }

    @Test
    void the_csv_has_a_line_per_cell_and_the_table_a_row_per_cell() {
        assertThat(result.csv().lines()).hasSize(1 + result.cells().size());
        assertThat(result.table().lines().limit(1 + result.cells().size())).hasSize(1 + result.cells().size());
        assertThat(result.json()).startsWith("{\n  \"database\": ").contains("\"subject\": \"shedlock\"");
    }

    @Test
    void the_chart_is_a_png(@TempDir Path directory) throws IOException {
        Path png = directory.resolve("bench.png");
        result.writeChart(png);
        byte[] magic = new byte[8];
        try (InputStream in = Files.newInputStream(png)) {
            assertThat(in.readNBytes(magic, 0, 8)).isEqualTo(8);
        }
        assertThat(magic).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n');
    }
}
