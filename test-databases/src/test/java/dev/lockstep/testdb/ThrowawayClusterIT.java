package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
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
 * The throwaway cluster the shared provider starts when {@code LOCKSTEP_POSTGRES_URL} is unset and
 * Docker is absent, as on the development machines this project is built on.
 */
@DisabledOnOs(OS.WINDOWS)
class ThrowawayClusterIT {

    private static final Pattern ORIGIN = Pattern.compile("\\(throwaway cluster on 127\\.0\\.0\\.1:(\\d+)\\)");

    @BeforeAll
    static void onlyWhereTheSharedProviderMakesAThrowawayCluster() {
        assumeTrue(System.getenv("LOCKSTEP_POSTGRES_URL") == null && System.getProperty("LOCKSTEP_POSTGRES_URL") == null,
                "LOCKSTEP_POSTGRES_URL names a server, so the shared provider starts no cluster");
        try (TestDatabase probe = TestDatabases.shared().create(DatabaseKind.POSTGRESQL)) {
            assumeTrue(ORIGIN.matcher(probe.description()).find(), "the shared provider uses " + probe.description());
        }
    }

    @Test
    void listensOnlyOnLoopbackOnItsOwnPortWithFsyncOff() throws SQLException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.POSTGRESQL)) {
            int port = portOf(db);

            assertThat(port).isNotEqualTo(5432); // not the system server
            assertThat(db.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:" + port + "/lockstep_");
            assertThat(setting(db, "port")).isEqualTo(String.valueOf(port));
            assertThat(setting(db, "listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(setting(db, "fsync")).isEqualTo("off");
            assertThat(setting(db, "synchronous_commit")).isEqualTo("off");
            assertThat(setting(db, "max_connections")).isEqualTo("200");
        }
    }

    @Test
    void keepsDataAndSocketsInOneTemporaryDirectoryOwnedByANonRootUser() throws SQLException, IOException {
        try (TestDatabase db = TestDatabases.shared().create(DatabaseKind.POSTGRESQL)) {
            Path data = Path.of(setting(db, "data_directory"));
            Path directory = data.getParent();

            assertThat(directory.getFileName().toString()).startsWith("lockstep-pg-");
            assertThat(directory.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")).toRealPath());
            assertThat(Path.of(setting(db, "unix_socket_directories"))).isEqualTo(directory.resolve("run"));
            String owner = Files.getOwner(data).getName();
            if (System.getProperty("user.name").equals("root")) {
                assertThat(owner).isIn(ClusterOsUser.CANDIDATES);
            } else {
                assertThat(owner).isEqualTo(System.getProperty("user.name"));
            }
        }
    }

    @Test
    void oneClusterServesEveryDatabaseOfTheProvider() {
        try (TestDatabase a = TestDatabases.shared().create(DatabaseKind.POSTGRESQL);
                TestDatabase b = TestDatabases.shared().create(DatabaseKind.POSTGRESQL)) {
            assertThat(portOf(a)).isEqualTo(portOf(b));
        }
    }

    @Test
    void isStoppedAndDeletedAtJvmExitWithTheDatabasesLeftOpen(@TempDir Path temp) throws Exception {
        String printed = ChildJvm.run(ClusterAtExitProbe.class, temp.resolve("child.out"));

        assertThat(printed).contains("lockstep: started a throwaway PostgreSQL ");
        Path directory = Path.of(ChildJvm.line(printed, "DIRECTORY="));
        long postmaster = Long.parseLong(ChildJvm.line(printed, "POSTMASTER="));
        assertThat(directory.getFileName().toString()).startsWith("lockstep-pg-");
        assertThat(directory).as("the cluster directory, after the child JVM exited").doesNotExist();
        assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive))
                .as("the postmaster (pid %d), after the child JVM exited", postmaster).isEmpty();
    }

    private static int portOf(TestDatabase db) {
        Matcher matcher = ORIGIN.matcher(db.description());
        assertThat(matcher.find()).as(db.description()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static String setting(TestDatabase db, String name) throws SQLException {
        return (String) Sql.single(db.dataSource(), "select current_setting(?)", name);
    }

    /** Run in a child JVM: starts a cluster, leaves a database open, prints where it all is, exits. */
    static final class ClusterAtExitProbe {
        public static void main(String[] arguments) throws Exception {
            TestDatabases provider = TestDatabases.using(Map.of("PATH", System.getenv().getOrDefault("PATH", ""),
                    "LOCKSTEP_REQUIRE_DATABASES", "postgres"));
            TestDatabase leftOpen = provider.create(DatabaseKind.POSTGRESQL);
            Path data = Path.of((String) Sql.single(leftOpen.dataSource(), "select current_setting('data_directory')"));
            List<String> pidFile = Files.readAllLines(data.resolve("postmaster.pid"));
            System.out.println("DIRECTORY=" + data.getParent());
            System.out.println("POSTMASTER=" + pidFile.get(0).strip());
        }
    }
}
