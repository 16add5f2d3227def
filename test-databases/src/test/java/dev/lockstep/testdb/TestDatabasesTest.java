package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** How a provider resolves PostgreSQL and MariaDB and reacts to their absence; no server is started here. */
class TestDatabasesTest {

    private static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:1/x";

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);

    @Test
    void aRequiredButUnreachableUrlFailsNamingTheUrlAndWhatToSet() {
        TestDatabases provider = TestDatabases.using(Map.of(
                "LOCKSTEP_POSTGRES_URL", UNREACHABLE,
                "LOCKSTEP_REQUIRE_DATABASES", "postgres"), log);

        assertThatThrownBy(() -> provider.create(DatabaseKind.POSTGRESQL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PostgreSQL is required (LOCKSTEP_REQUIRE_DATABASES=postgres)")
                .hasMessageContaining("LOCKSTEP_POSTGRES_URL=" + UNREACHABLE)
                .hasMessageContaining("Connection to 127.0.0.1:1 refused")
                .hasMessageContaining("unset LOCKSTEP_POSTGRES_URL");
    }

    @Test
    void anUnreachableUrlThatIsNotRequiredAbortsTheTest() {
        TestDatabases provider = TestDatabases.using(Map.of("LOCKSTEP_POSTGRES_URL", UNREACHABLE), log);

        assertThatThrownBy(() -> provider.create(DatabaseKind.POSTGRESQL))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("PostgreSQL is not available")
                .hasMessageContaining(UNREACHABLE)
                .hasMessageContaining("LOCKSTEP_REQUIRE_DATABASES=postgres");
    }

    @Test
    void requiringOnlySqliteStillSkipsPostgres() {
        TestDatabases provider = TestDatabases.using(Map.of(
                "LOCKSTEP_POSTGRES_URL", UNREACHABLE,
                "LOCKSTEP_REQUIRE_DATABASES", "SQLite"), log);

        assertThatThrownBy(() -> provider.create(DatabaseKind.POSTGRESQL)).isInstanceOf(TestAbortedException.class);
    }

    @Test
    void theRequirementAcceptsPostgresqlInAnyCase() {
        TestDatabases provider = TestDatabases.using(Map.of(
                "LOCKSTEP_POSTGRES_URL", UNREACHABLE,
                "LOCKSTEP_REQUIRE_DATABASES", " sqlite , PostgreSQL "), log);

        assertThatThrownBy(() -> provider.create(DatabaseKind.POSTGRESQL)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMalformedRequirementIsRejectedWhenTheProviderIsMade() {
        assertThatThrownBy(() -> TestDatabases.using(Map.of("LOCKSTEP_REQUIRE_DATABASES", "postgres,oracle")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'oracle' is not a database kind")
                .hasMessageContaining("sqlite, postgres, postgresql, mariadb");
    }

    @Test
    void thePasswordInTheUrlIsNeverShown() {
        TestDatabases provider = TestDatabases.using(Map.of(
                "LOCKSTEP_POSTGRES_URL", UNREACHABLE + "?user=ci&password=hunter2",
                "LOCKSTEP_REQUIRE_DATABASES", "postgres"), log);

        Throwable failure = catchThrowable(() -> provider.create(DatabaseKind.POSTGRESQL));

        assertThat(failure).hasMessageContaining("password=***").hasMessageContaining("user=ci");
        assertThat(failure.getMessage()).doesNotContain("hunter2");
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("password=***").doesNotContain("hunter2");
    }

    @Test
    void aUrlForAnotherDatabaseIsReportedAsSuch() {
        TestDatabases provider = TestDatabases.using(Map.of(
                "LOCKSTEP_POSTGRES_URL", "jdbc:mysql://127.0.0.1:3306/x",
                "LOCKSTEP_REQUIRE_DATABASES", "postgresql"), log);

        assertThatThrownBy(() -> provider.create(DatabaseKind.POSTGRESQL))
                .hasMessageContaining("LOCKSTEP_POSTGRES_URL=jdbc:mysql://127.0.0.1:3306/x: not a PostgreSQL JDBC URL");
    }

    @Test
    void withoutUrlTheSourcesAreTriedInOrderAndEveryReasonIsListed() {
        CountingSource<PostgresServer> docker = new CountingSource<>("docker", () -> new ServerLookup.Missing<>("no Docker here"));
        CountingSource<PostgresServer> broken = new CountingSource<>("broken", () -> {
            throw new IllegalStateException("boom");
        });
        CountingSource<PostgresServer> binaries = new CountingSource<>("binaries", () -> new ServerLookup.Missing<>("no initdb here"));
        TestDatabases provider = new TestDatabases(Map.of(), List.of(docker, broken, binaries), List.of(), log);

        Throwable aborted = catchThrowable(() -> provider.create(DatabaseKind.POSTGRESQL));

        assertThat(aborted).isInstanceOf(TestAbortedException.class);
        assertThat(aborted.getMessage()).containsSubsequence(
                "1. LOCKSTEP_POSTGRES_URL: not set",
                "2. docker: no Docker here",
                "3. broken: failed unexpectedly: java.lang.IllegalStateException: boom",
                "4. binaries: no initdb here",
                "set LOCKSTEP_POSTGRES_URL=jdbc:postgresql://");
        assertThat(List.of(docker.calls.get(), broken.calls.get(), binaries.calls.get())).containsExactly(1, 1, 1);
    }

    @Test
    void postgresIsResolvedOncePerProviderAndTheLoudMessagePrintedOnce() {
        CountingSource<PostgresServer> nothing = new CountingSource<>("nothing", () -> new ServerLookup.Missing<>("nothing here"));
        TestDatabases provider = new TestDatabases(Map.of(), List.of(nothing), List.of(), log);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> provider.create(DatabaseKind.POSTGRESQL)).isInstanceOf(TestAbortedException.class);
        }

        assertThat(nothing.calls).hasValue(1);
        String printed = logged.toString(StandardCharsets.UTF_8);
        assertThat(printed.split("NO POSTGRESQL SERVER", -1)).hasSize(2);
        assertThat(printed).contains("will be SKIPPED").contains("lockstep:   2. nothing: nothing here");
    }

    @Test
    void theLoudMessageSaysFailWhenPostgresIsRequired() {
        TestDatabases provider = new TestDatabases(Map.of("LOCKSTEP_REQUIRE_DATABASES", "postgres"),
                List.of(new CountingSource<PostgresServer>("nothing", () -> new ServerLookup.Missing<>("nothing here"))), List.of(), log);

        assertThatThrownBy(() -> provider.create(DatabaseKind.POSTGRESQL)).isInstanceOf(IllegalStateException.class);
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("will FAIL (LOCKSTEP_REQUIRE_DATABASES requires it)");
    }

    @Test
    void aSetUrlIsTheOnlyThingTried() {
        CountingSource<PostgresServer> fallback = new CountingSource<>("fallback", () -> new ServerLookup.Missing<>("unused"));
        TestDatabases provider = new TestDatabases(Map.of("LOCKSTEP_POSTGRES_URL", UNREACHABLE), List.of(fallback), List.of(), log);

        Throwable aborted = catchThrowable(() -> provider.create(DatabaseKind.POSTGRESQL));

        assertThat(aborted).isInstanceOf(TestAbortedException.class);
        assertThat(fallback.calls).hasValue(0);
        assertThat(aborted.getMessage()).contains("1. LOCKSTEP_POSTGRES_URL=" + UNREACHABLE).doesNotContain("fallback");
    }

    @Test
    void aBlankUrlCountsAsUnset() {
        CountingSource<PostgresServer> fallback = new CountingSource<>("fallback", () -> new ServerLookup.Missing<>("tried"));
        TestDatabases provider = new TestDatabases(Map.of("LOCKSTEP_POSTGRES_URL", "  "), List.of(fallback), List.of(), log);

        assertThatThrownBy(() -> provider.create(DatabaseKind.POSTGRESQL)).hasMessageContaining("2. fallback: tried");
        assertThat(fallback.calls).hasValue(1);
    }

    private static final String UNREACHABLE_MARIADB = "jdbc:mariadb://127.0.0.1:1/";

    @Test
    void aRequiredButUnreachableMariaDbUrlFailsNamingTheUrlAndWhatToSet() {
        TestDatabases provider = TestDatabases.using(Map.of(
                "LOCKSTEP_MARIADB_URL", UNREACHABLE_MARIADB + "?user=ci&password=hunter2",
                "LOCKSTEP_REQUIRE_DATABASES", "MariaDB"), log);

        Throwable failure = catchThrowable(() -> provider.create(DatabaseKind.MARIADB));

        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MariaDB is required (LOCKSTEP_REQUIRE_DATABASES=MariaDB) but no server is available")
                .hasMessageContaining("1. LOCKSTEP_MARIADB_URL=jdbc:mariadb://127.0.0.1:1/?password=***&user=ci: could not connect")
                .hasMessageContaining("unset LOCKSTEP_MARIADB_URL");
        assertThat(failure.getMessage()).doesNotContain("hunter2");
        assertThat(logged.toString(StandardCharsets.UTF_8))
                .contains("NO MARIADB SERVER: tests that need MariaDB will FAIL (LOCKSTEP_REQUIRE_DATABASES requires it)")
                .doesNotContain("hunter2");
    }

    @Test
    void anUnreachableMariaDbUrlThatIsNotRequiredAbortsTheTest() {
        TestDatabases provider = TestDatabases.using(Map.of(
                "LOCKSTEP_MARIADB_URL", UNREACHABLE_MARIADB,
                "LOCKSTEP_REQUIRE_DATABASES", "sqlite,postgres"), log);

        assertThatThrownBy(() -> provider.create(DatabaseKind.MARIADB))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("SKIPPED: MariaDB is not available (set LOCKSTEP_REQUIRE_DATABASES=mariadb to make"
                        + " this a failure)")
                .hasMessageContaining(UNREACHABLE_MARIADB);
    }

    @Test
    void aMySqlUrlIsNotAMariaDbUrl() {
        TestDatabases provider = TestDatabases.using(Map.of(
                "LOCKSTEP_MARIADB_URL", "jdbc:mysql://127.0.0.1:3306/x",
                "LOCKSTEP_REQUIRE_DATABASES", "mariadb"), log);

        assertThatThrownBy(() -> provider.create(DatabaseKind.MARIADB))
                .hasMessageContaining("LOCKSTEP_MARIADB_URL=jdbc:mysql://127.0.0.1:3306/x: not a MariaDB JDBC URL"
                        + " (expected jdbc:mariadb://host:port/?user=...&password=...)");
    }

    @Test
    void withoutMariaDbUrlItsSourcesAreTriedInOrderOnceAndPostgresIsNotAsked() {
        CountingSource<PostgresServer> postgres = new CountingSource<>("postgres", () -> new ServerLookup.Missing<>("unused"));
        CountingSource<MariaDbServer> service = new CountingSource<>("service", () -> new ServerLookup.Missing<>("nothing on 3306"));
        CountingSource<MariaDbServer> binaries = new CountingSource<>("binaries", () -> new ServerLookup.Missing<>("no mariadbd"));
        TestDatabases provider = new TestDatabases(Map.of("LOCKSTEP_POSTGRES_URL", UNREACHABLE), List.of(postgres),
                List.of(service, binaries), log);

        Throwable first = catchThrowable(() -> provider.create(DatabaseKind.MARIADB));
        Throwable second = catchThrowable(() -> provider.create(DatabaseKind.MARIADB));

        assertThat(first).isInstanceOf(TestAbortedException.class);
        assertThat(first.getMessage()).containsSubsequence(
                "1. LOCKSTEP_MARIADB_URL: not set",
                "2. service: nothing on 3306",
                "3. binaries: no mariadbd",
                "To get MariaDB: set LOCKSTEP_MARIADB_URL=jdbc:mariadb://");
        assertThat(second).hasMessage(first.getMessage());
        assertThat(List.of(postgres.calls.get(), service.calls.get(), binaries.calls.get())).containsExactly(0, 1, 1);
        assertThat(logged.toString(StandardCharsets.UTF_8).split("NO MARIADB SERVER", -1)).hasSize(2);
    }

    @Test
    void aSetMariaDbUrlIsTheOnlyThingTried() {
        CountingSource<MariaDbServer> fallback = new CountingSource<>("fallback", () -> new ServerLookup.Missing<>("unused"));
        TestDatabases provider = new TestDatabases(Map.of("LOCKSTEP_MARIADB_URL", UNREACHABLE_MARIADB), List.of(),
                List.of(fallback), log);

        Throwable aborted = catchThrowable(() -> provider.create(DatabaseKind.MARIADB));

        assertThat(aborted).isInstanceOf(TestAbortedException.class);
        assertThat(fallback.calls).hasValue(0);
        assertThat(aborted.getMessage()).contains("1. LOCKSTEP_MARIADB_URL=" + UNREACHABLE_MARIADB).doesNotContain("fallback");
    }

    private static final class CountingSource<S> implements ServerSource<S> {
        private final String name;
        private final java.util.function.Supplier<ServerLookup<S>> answer;
        final AtomicInteger calls = new AtomicInteger();

        CountingSource(String name, java.util.function.Supplier<ServerLookup<S>> answer) {
            this.name = name;
            this.answer = answer;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ServerLookup<S> lookUp(ExitActions atExit) {
            calls.incrementAndGet();
            return answer.get();
        }
    }
}
