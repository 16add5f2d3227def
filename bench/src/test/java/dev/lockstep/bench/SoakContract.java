package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The soak's checks on a real database: the sampler counts violating rows, the orphan count finds runs a
 * begin created but did not return, and a short soak of a safe strategy reports what it did.
 */
abstract class SoakContract {

    private final DatabaseKind kind;
    private TestDatabase database;

    SoakContract(DatabaseKind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void install() throws SQLException {
        database = TestDatabases.shared().create(kind);
        BenchSchema.install(database.dataSource(), Strategy.ADVISORY_LOCK);
    }

    @AfterEach
    void drop() {
        database.close();
    }

    @Test
    void the_sampler_counts_every_active_row_of_a_key_with_more_than_one() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            Sampler sampler = new Sampler();
            assertThat(sampler.sample(s)).isZero();

            insert(s, 1, "a", "running");
            insert(s, 2, "a", "completed");
            insert(s, 3, "b", "running");
            insert(s, 4, "c", "failed");
            insert(s, 5, "c", "pending");
            assertThat(sampler.sample(s)).as("one active run per key").isZero();

            insert(s, 6, "a", "paused");
            insert(s, 7, "b", "running");
            insert(s, 8, "b", "running");
            assertThat(sampler.sample(s)).as("a: 1 and 6; b: 3, 7 and 8").isEqualTo(5);

            assertThat(sampler.figures()).isEqualTo(new Sampler.Figures(3, 5, 1, 5));
        }
    }

    @Test
    void a_run_a_begin_created_but_did_not_return_is_an_orphan_once_executed() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            insert(s, 1, "begin-w-1", "k", "completed");   // returned by its begin, executed: fine
            insert(s, 2, "begin-w-2", "k", "completed");   // its begin returned run 3: executed by someone else
            insert(s, 3, "begin-w-2", "k", "running");     // what that begin returned
            insert(s, 4, "begin-w-3", "k", "running");     // its begin threw, executed by someone else
            insert(s, 5, "begin-w-4", "k", "pending");     // its begin threw, left pending
            insert(s, 6, "begin-w-5", "k", "cancelled");   // a refused begin's row, never executed: fine
            insert(s, 7, "create-w-6", "k", "completed");  // created for dispatch: whoever claims it may run it

            SoakResult.Orphans orphans = Soak.orphans(c, Set.of(1L, 2L, 3L, 4L, 7L),
                    Map.of("begin-w-1", 1L, "begin-w-2", 3L));

            assertThat(orphans.executed()).isEqualTo(2);
            assertThat(orphans.leftPending()).isEqualTo(1);
            assertThat(orphans.examples()).containsExactly(
                    "run 2 (begin-w-2, now completed), created by a begin that returned run 3",
                    "run 4 (begin-w-3, now running), created by a begin that did not return a run");
        }
    }

    @Test
    void a_short_soak_of_running_at_creation_calls_every_operation_and_passes() {
        Soak.Options options = Soak.Options.of(Strategy.RUNNING_AT_CREATION).withThreads(4).withKeys(4)
                .withDuration(Duration.ofSeconds(3)).withStaleAfter(Duration.ofMillis(300));

        SoakResult result = Soak.on(database.jdbcUrl(), options).run();

        String report = result.report();
        assertThat(result.calls(SoakOperation.BEGIN)).as(report).isPositive();
        assertThat(result.calls(SoakOperation.HEARTBEAT)).as(report).isPositive();
        assertThat(result.sampling().samples()).as(report).isPositive();
        assertThat(result.executions().executions()).as(report).isEqualTo(result.outcomes().get(SoakOperation.HEARTBEAT).get("ok"));
        assertThat(result.passed()).as(report).isTrue();
        assertThat(report).contains("soak: running-at-creation on ", "4 threads x 4 keys", "\nbegin ", "\nsampler: ",
                "\nledger: ", "\norphans: 0 runs", "\nunexpected exceptions: 0\n", "\npassed: no violation");
    }

    private static void insert(Statement s, long id, String key, String status) throws SQLException {
        insert(s, id, "run-" + id, key, status);
    }

    private static void insert(Statement s, long id, String name, String key, String status) throws SQLException {
        s.execute("INSERT INTO lockstep_run (id, run_key, name, status, fence, created_at) VALUES (" + id + ", '" + key
                + "', '" + name + "', '" + status + "', 1, 0)");
    }
}
