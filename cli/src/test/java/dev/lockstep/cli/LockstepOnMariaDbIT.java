package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.bench.Subject;
import dev.lockstep.testdb.DatabaseKind;
import dev.lockstep.testdb.TestDatabase;
import dev.lockstep.testdb.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The command on MariaDB: race exit codes, install, schema, bench and soak, each in a scratch database of
 * its own on the server, with lock-core's session, dropped afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockstepOnMariaDbIT {

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();
    private TestDatabase mariadb;

    @BeforeAll
    void database() {
        mariadb = TestDatabases.shared().create(DatabaseKind.MARIADB);
    }

    @AfterAll
    void drop() {
        mariadb.close();
    }

    @Test
    void theNaiveGuardExitsOneWithItsCounterexampleAndTheAdvisoryLockZero() throws SQLException {
        Set<String> before = scratchDatabases();

        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "naive-guard", "--db", mariadb.jdbcUrl())).isEqualTo(1);
        assertThat(console.out()).contains("database: MariaDB").contains("broke: invariant broken: at most one active run per key")
                .contains("\nreplay: A A A B B B B A\n");

        console.reset();
        assertThat(Lockstep.run("race", "--scenario", "start-start", "--strategy", "advisory-lock", "--db", mariadb.jdbcUrl())).isZero();
        assertThat(console.out()).contains("start-start (advisory-lock) on MariaDB ").contains(", 0 failing, 0 invalid, complete;")
                .contains("no invariant broke (MariaDB (scratch database lockstep_scratch_");
        assertThat(console.err()).isEmpty();
        assertNoScratchDatabaseLeftSince(before);
    }

    @Test
    void installIsIdempotentAndCreatesTheTablesAndSchemaPrintsTheMariaDbDdl() throws SQLException {
        assertThat(Lockstep.run("install", "--db", mariadb.jdbcUrl(), "--strategy", "running-at-creation")).isZero();
        assertThat(Lockstep.run("install", "--db", mariadb.jdbcUrl(), "--strategy", "running-at-creation")).isZero();
        try (Connection c = mariadb.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThat(value(s, "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = DATABASE()")).isEqualTo("lockstep_key_lock,lockstep_lease,lockstep_run");
            assertThat(value(s, "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND INDEX_NAME = 'lockstep_run_one_active_per_key' AND NON_UNIQUE = 0")).isEqualTo("1");
        }
        assertThat(console.out().lines().filter(line -> line.startsWith("installed ")).toList()).hasSize(2)
                .allMatch(line -> line.equals("installed the lockstep schema for running-at-creation into " + mariadb.jdbcUrl()));

        console.reset();
        assertThat(Lockstep.run("schema", "--db", "mariadb", "--strategy", "running-at-creation")).isZero();
        assertThat(console.out()).contains("COLLATE=utf8mb4_nopad_bin")
                .contains("CREATE UNIQUE INDEX IF NOT EXISTS lockstep_run_one_active_per_key ON lockstep_run (active_key_hash);");
        console.reset();
        assertThat(Lockstep.run("schema", "--db", mariadb.jdbcUrl())).isZero();
        assertThat(console.out()).contains("CREATE TABLE IF NOT EXISTS lockstep_key_lock").doesNotContain("active_key_hash);");
    }

    @Test
    void installNeedsADatabaseInTheUrl() {
        String server = mariadb.jdbcUrl().replaceFirst("(jdbc:mariadb://[^/]*/)[^?]*", "$1");

        assertThat(Lockstep.run("install", "--db", server)).isEqualTo(2);
        assertThat(console.err()).isEqualTo("lockstep: install needs a database to install into: --db "
                + "jdbc:mariadb://HOST:PORT/DATABASE?user=USER names none (--verbose for details)\n");
    }

    @Test
    void benchPrintsARowPerSubjectWithNoViolationForASafeOne() throws SQLException {
        Set<String> before = scratchDatabases();

        assertThat(Lockstep.run("bench", "--quick", "--format", "csv", "--threads", "2", "--keys", "1",
                "--duration", "200ms", "--warmup", "0ms", "--db", mariadb.jdbcUrl())).isZero();

        List<String> lines = console.out().lines().toList();
        assertThat(lines.get(0)).startsWith("subject,safety,threads,keys,");
        List<String[]> rows = lines.subList(1, lines.size()).stream().map(line -> line.split(",")).toList();
        assertThat(rows).extracting(row -> row[0])
                .containsExactly(Arrays.stream(Subject.values()).map(Subject::label).toArray(String[]::new));
        for (String[] row : rows) {
            assertThat(Long.parseLong(row[6])).as("claims of " + row[0]).isPositive();
            assertThat(row[8]).as("errors of " + row[0]).isEqualTo("0");
            if (row[1].equals("safe")) {
                assertThat(row[9]).as("violations of " + row[0]).isEqualTo("0");
            }
        }
        assertThat(console.err()).as("no driver warnings, no progress bar").isEmpty();
        assertNoScratchDatabaseLeftSince(before);
    }

    @Test
    void aShortSoakOfASafeStrategyExitsZeroAndTheNaiveGuardsExitsOne() throws SQLException {
        Set<String> before = scratchDatabases();

        assertThat(Lockstep.run("soak", "--strategy", "running-at-creation", "--duration", "2s", "--threads", "4", "--keys", "4",
                "--stale-after", "300ms", "--db", mariadb.jdbcUrl())).as(console.out()).isZero();
        assertThat(console.out()).startsWith("soaking running-at-creation in MariaDB (scratch database lockstep_scratch_")
                .contains("\nsoak: running-at-creation on MariaDB").contains("\nunexpected exceptions: 0\n")
                .endsWith("\npassed: no violation, no orphan, no unexpected exception\n");

        console.reset();
        assertThat(Lockstep.run("soak", "--strategy", "naive-guard", "--duration", "3s", "--keys", "1", "--db", mariadb.jdbcUrl()))
                .as(console.out()).isEqualTo(1);
        assertThat(console.out()).containsPattern("\nFAILED: .*(overlapping executions|violating rows sampled)");
        assertThat(console.err()).isEmpty();
        assertNoScratchDatabaseLeftSince(before);
    }

    @Test
    void aScratchDatabaseHasLockCoresSessionByUrlAndByDataSourceAndIsDroppedOnClose() throws SQLException {
        // a URL asking for what lock-core cannot work with: its session wins in the scratch database
        String asked = mariadb.jdbcUrl() + "&transactionIsolation=REPEATABLE-READ&useAffectedRows=true";
        String name;
        try (Target target = Target.scratch(asked, new Interruption(Thread.currentThread(), System.err))) {
            List<String> seen = new ArrayList<>();
            try (Connection c = target.dataSource().getConnection(); Statement s = c.createStatement()) {
                seen.add(session(s));
                s.execute("CREATE TABLE seen (id INT PRIMARY KEY, v INT)");
                s.execute("INSERT INTO seen VALUES (1, 1)");
                assertThat(s.executeUpdate("UPDATE seen SET v = 1 WHERE id = 1")).as("found rows, not changed rows").isEqualTo(1);
            }
            try (Connection c = DriverManager.getConnection(target.jdbcUrl()); Statement s = c.createStatement()) {
                seen.add(session(s));
                assertThat(value(s, "SELECT COUNT(*) FROM seen")).as("the same database").isEqualTo("1");
            }
            name = seen.get(0).split(" ")[0];
            assertThat(name).matches("lockstep_scratch_[0-9a-f]{12}");
            assertThat(seen).containsOnly(name + " READ-COMMITTED +00:00 utf8mb4 utf8mb4");
            assertThat(target.description()).isEqualTo("MariaDB (scratch database " + name + " on " + asked + ")");
            assertThat(scratchDatabases()).contains(name);
        }
        assertThat(scratchDatabases()).doesNotContain(name);
    }

    /** The database, isolation, time zone, connection character set and the database's character set. */
    private static String session(Statement s) throws SQLException {
        return value(s, "SELECT CONCAT_WS(' ', DATABASE(), @@tx_isolation, @@time_zone, @@character_set_connection,"
                + " @@character_set_database)");
    }

    /**
     * No scratch database made since {@code before} is left. Another process on the same server (a second
     * CI run, a user's command) may have one of its own meanwhile, so new ones are waited out: theirs are
     * dropped when their command ends, a database this test's command left stays.
     */
    private void assertNoScratchDatabaseLeftSince(Set<String> before) {
        await("scratch databases made since the test began dropped").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(scratchDatabases()).isSubsetOf(before));
    }

    private Set<String> scratchDatabases() throws SQLException {
        return scratchDatabases(mariadb.dataSource());
    }

    /** The scratch databases on the server of {@code dataSource}, whoever made them. */
    static Set<String> scratchDatabases(DataSource dataSource) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW DATABASES LIKE 'lockstep\\_scratch\\_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static String value(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
