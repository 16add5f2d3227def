package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.core.Database;
import dev.lockstep.core.Strategy;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The raw JDBC reference on MariaDB survives what lock-core survives: two begins queued behind an insert of
 * their key that is rolled back, where InnoDB's duplicate-key locks make one of them a deadlock's victim
 * (1213), which is made again instead of failing the cycle.
 */
class RawJdbcCycleOnMariaDbIT {

    private TestDatabase database;
    private final ExecutorService begins = Executors.newFixedThreadPool(2);

    @BeforeEach
    void install() throws SQLException {
        database = TestDatabases.shared().create(DatabaseKind.MARIADB);
        BenchSchema.install(database.dataSource(), Strategy.RUNNING_AT_CREATION);
    }

    @AfterEach
    void drop() throws InterruptedException {
        begins.shutdownNow();
        assertThat(begins.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        database.close();
    }

    @Test
    void beginsQueuedBehindARolledBackInsertOfTheirKeyEndAsAClaimOrARefusalNeverADeadlock() throws Exception {
        String key = "raw-jdbc-deadlock-" + UUID.randomUUID();
        RawJdbcCycle cycle = new RawJdbcCycle(database.dataSource(), Database.MARIADB);
        List<Future<Boolean>> attempts;
        try (Connection first = database.dataSource().getConnection()) {
            first.setAutoCommit(false);
            try (PreparedStatement insert = first.prepareStatement("INSERT INTO lockstep_run (run_key, name, status, fence,"
                    + " created_at) VALUES (?, 'first', 'running', 1, 0)")) {
                insert.setString(1, key);
                insert.executeUpdate();
            }
            attempts = List.of(begins.submit(() -> cycle.attempt(key, "B", () -> { })),
                    begins.submit(() -> cycle.attempt(key, "C", () -> { })));
            await("both begins waiting for the first insert's row").atMost(Duration.ofSeconds(30))
                    .until(() -> waitingOn(key), waiting -> waiting == 2);
            first.rollback();
        }

        int claims = 0;
        for (Future<Boolean> attempt : attempts) {
            claims += attempt.get(60, TimeUnit.SECONDS) ? 1 : 0; // an exception here is the cycle failing
        }
        assertThat(claims).as("one claims first; the other is refused by it, or claims after it completed").isBetween(1, 2);
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(status = 'completed') FROM lockstep_run")) {
            rs.next();
            assertThat(rs.getInt(1)).as("runs").isEqualTo(claims);
            assertThat(rs.getInt(2)).as("completed runs").isEqualTo(claims);
        }
    }

    /** Transactions waiting for a lock while running a statement on {@code key}. */
    private int waitingOn(String key) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM information_schema.INNODB_TRX"
                     + " WHERE trx_state = 'LOCK WAIT' AND trx_query LIKE CONCAT('%', ?, '%')")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
