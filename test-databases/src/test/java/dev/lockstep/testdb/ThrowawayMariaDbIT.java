package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The throwaway MariaDB server a provider starts when neither {@code LOCKSTEP_MARIADB_URL} nor the
 * machine's service is there. The machine here may well run that service, so the provider of this
 * test has the throwaway source alone: the server is really started, from the local binaries.
 */
@DisabledOnOs(OS.WINDOWS)
class ThrowawayMariaDbIT {

    private static final Pattern ORIGIN = Pattern.compile("\\(throwaway server on 127\\.0\\.0\\.1:(\\d+)\\)");

    private static TestDatabases provider;

    @BeforeAll
    static void aProviderWithTheThrowawaySourceAlone() {
        provider = throwawayOnly(System.err);
    }

    @Test
    void listensOnlyOnLoopbackOnItsOwnPortWithoutFlushingEachCommit() throws SQLException {
        try (TestDatabase db = provider.create(DatabaseKind.MARIADB)) {
            int port = portOf(db);

            assertThat(port).isNotEqualTo(3306); // not the machine's service
            assertThat(db.jdbcUrl()).startsWith("jdbc:mariadb://127.0.0.1:" + port + "/lockstep_");
            assertThat(number(db, "select @@port")).isEqualTo(port);
            assertThat(Sql.single(db.dataSource(), "select @@bind_address")).isEqualTo("127.0.0.1");
            assertThat(number(db, "select @@skip_networking")).isZero();
            assertThat(number(db, "select @@innodb_flush_log_at_trx_commit")).isZero();
            assertThat(number(db, "select @@innodb_doublewrite")).isZero();
            assertThat(number(db, "select @@max_connections")).isEqualTo(200);
            assertThat(Sql.single(db.dataSource(), "select current_user()")).isEqualTo("root@localhost");
        }
    }

    @Test
    void keepsDataSocketAndTmpdirInOneTemporaryDirectoryOwnedByANonRootUser() throws SQLException, IOException {
        try (TestDatabase db = provider.create(DatabaseKind.MARIADB)) {
            Path data = Path.of((String) Sql.single(db.dataSource(), "select @@datadir"));
            Path directory = data.getParent();

            assertThat(directory.getFileName().toString()).startsWith("lockstep-mariadb-");
            assertThat(directory.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")).toRealPath());
            assertThat(Path.of((String) Sql.single(db.dataSource(), "select @@socket"))).isEqualTo(directory.resolve("mariadbd.sock"));
            // a server deletes the #sql files of its tmpdir when it starts: in /tmp, another server's temporary tables in use
            assertThat(Path.of((String) Sql.single(db.dataSource(), "select @@tmpdir"))).isEqualTo(directory.resolve("tmp"));
            String owner = Files.getOwner(data).getName();
            assertThat(owner).isEqualTo(System.getProperty("user.name").equals("root")
                    ? ThrowawayMariaDb.OS_USER
                    : System.getProperty("user.name"));
        }
    }

    @Test
    void itsDatabasesHaveTheSameSessionAsOnAnyServer() throws SQLException {
        try (TestDatabase db = provider.create(DatabaseKind.MARIADB); Connection connection = db.dataSource().getConnection()) {
            assertThat(Sql.single(connection, "select @@session.tx_isolation")).isEqualTo("READ-COMMITTED");
            assertThat(Sql.single(connection, "select @@session.time_zone")).isEqualTo("+00:00");
        }
    }

    @Test
    void oneServerServesEveryDatabaseOfTheProvider() {
        try (TestDatabase a = provider.create(DatabaseKind.MARIADB); TestDatabase b = provider.create(DatabaseKind.MARIADB)) {
            assertThat(portOf(a)).isEqualTo(portOf(b));
        }
    }

    @Test
    void isStoppedAndDeletedAtJvmExitWithTheDatabasesLeftOpen(@TempDir Path temp) throws Exception {
        String printed = ChildJvm.run(ServerAtExitProbe.class, temp.resolve("child.out"));

        assertThat(printed).contains("lockstep: started a throwaway MariaDB ");
        Path directory = Path.of(ChildJvm.line(printed, "DIRECTORY="));
        long server = Long.parseLong(ChildJvm.line(printed, "SERVER="));
        assertThat(directory.getFileName().toString()).startsWith("lockstep-mariadb-");
        assertThat(directory).as("the server directory, after the child JVM exited").doesNotExist();
        assertThat(ProcessHandle.of(server).filter(ProcessHandle::isAlive))
                .as("mariadbd (pid %d), after the child JVM exited", server).isEmpty();
    }

    /** A provider whose only MariaDB source is the throwaway server, required when the build requires MariaDB. */
    private static TestDatabases throwawayOnly(java.io.PrintStream log) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", System.getenv().getOrDefault("PATH", ""));
        environment.put(TestDatabases.REQUIRE_DATABASES_VARIABLE, System.getProperty(TestDatabases.REQUIRE_DATABASES_VARIABLE,
                System.getenv(TestDatabases.REQUIRE_DATABASES_VARIABLE)));
        return new TestDatabases(environment, List.of(),
                List.of(new ThrowawayMariaDbSource(environment, LocalMariaDbBinaries.SYSTEM_DIRECTORIES, log)), log);
    }

    private static long number(TestDatabase db, String sql) throws SQLException {
        return ((Number) Sql.single(db.dataSource(), sql)).longValue();
    }

    private static int portOf(TestDatabase db) {
        Matcher matcher = ORIGIN.matcher(db.description());
        assertThat(matcher.find()).as(db.description()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    /** Run in a child JVM: starts a server, leaves a database open, prints where it all is, exits. */
    static final class ServerAtExitProbe {
        public static void main(String[] arguments) throws Exception {
            TestDatabase leftOpen = new TestDatabases(Map.of("LOCKSTEP_REQUIRE_DATABASES", "mariadb"), List.of(),
                    List.of(new ThrowawayMariaDbSource(Map.of("PATH", System.getenv().getOrDefault("PATH", "")),
                            LocalMariaDbBinaries.SYSTEM_DIRECTORIES, System.out)), System.out)
                    .create(DatabaseKind.MARIADB);
            Path data = Path.of((String) Sql.single(leftOpen.dataSource(), "select @@datadir"));
            String pid = Files.readString(data.getParent().resolve("mariadbd.pid")).strip();
            System.out.println("DIRECTORY=" + data.getParent());
            System.out.println("SERVER=" + pid);
        }
    }
}
