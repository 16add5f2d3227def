package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Database#nowMillisSql()} reads the clock lock-core stamps runs with, in epoch milliseconds. */
class NowMillisSqlIT {

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void readsTheClockRunsAreStampedWith(DatabaseKind kind) throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(kind)) {
            Schema.install(db.dataSource(), Strategy.RUNNING_AT_CREATION);
            Coordinator runs = Coordinator.create(db.dataSource(), Strategy.RUNNING_AT_CREATION);
            Database database = runs.database();

            long before = now(db.dataSource(), database);
            Instant created = runs.create("repo/a", "build").createdAt();
            long after = now(db.dataSource(), database);

            assertThat(created.toEpochMilli()).isBetween(before, after);
            // the same host's clock, so epoch milliseconds (not seconds, not days) agree with the JVM's
            assertThat(Duration.ofMillis(Math.abs(after - System.currentTimeMillis()))).isLessThan(Duration.ofMinutes(1));
        }
    }

    private static long now(DataSource dataSource, Database database) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + database.nowMillisSql())) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
