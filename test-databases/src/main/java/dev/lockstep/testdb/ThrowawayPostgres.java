package dev.lockstep.testdb;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of the caller's own, for tests that must stop and start the server (a restart during
 * a workload), which a shared server cannot allow. It is made as the provider's throwaway cluster is (see
 * {@link TestDatabases}: local binaries, a temporary directory, a free port of 127.0.0.1, fsync off), costs
 * an {@code initdb} of a few seconds, and is stopped and deleted on {@link #close()} or at JVM exit.
 *
 * <pre>{@code
 * try (ThrowawayPostgres server = ThrowawayPostgres.start(); TestDatabase db = server.createDatabase()) {
 *     ... // a workload on db.dataSource()
 *     server.restart();
 * }
 * }</pre>
 */
public final class ThrowawayPostgres implements AutoCloseable {

    private final ThrowawayCluster cluster;
    private final ExitActions.Registration stopAtExit;
    private final PostgresServer server;
    private final ExitActions atExit;
    private final DatabaseNames names = new DatabaseNames();

    private ThrowawayPostgres(ThrowawayCluster.Launched launched, ExitActions atExit) {
        this.cluster = launched.cluster();
        this.stopAtExit = launched.stopAtExit();
        this.server = ((ServerLookup.Found<PostgresServer>) launched.lookup()).server();
        this.atExit = atExit;
    }

    /**
     * Starts a cluster from local PostgreSQL binaries.
     *
     * @throws org.opentest4j.TestAbortedException when no cluster can be made here and PostgreSQL is not
     *     required by {@code LOCKSTEP_REQUIRE_DATABASES}: JUnit reports the test as skipped, with the reason
     * @throws IllegalStateException when no cluster can be made here but PostgreSQL is required
     */
    public static ThrowawayPostgres start() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        String required = System.getProperty(TestDatabases.REQUIRE_DATABASES_VARIABLE,
                environment.get(TestDatabases.REQUIRE_DATABASES_VARIABLE));
        PrintStream log = System.err;
        ExitActions atExit = new ExitActions(log);
        ThrowawayCluster.Launched launched = new ThrowawayClusterSource(environment,
                List.of(LocalPostgresBinaries.DEBIAN_INSTALL_ROOT), log).launch(atExit);
        if (launched.cluster() != null) {
            return new ThrowawayPostgres(launched, atExit);
        }
        String reason = "no throwaway PostgreSQL cluster could be started: " + ((ServerLookup.Missing<PostgresServer>) launched.lookup()).reason();
        if (RequiredDatabases.parse(required).requires(DatabaseKind.POSTGRESQL)) {
            throw new IllegalStateException("PostgreSQL is required (" + TestDatabases.REQUIRE_DATABASES_VARIABLE + "=" + required
                    + ") but " + reason);
        }
        return Assumptions.abort("SKIPPED: " + reason);
    }

    /** A new, empty database on this cluster; it goes when the cluster does, or on its own close(). */
    public TestDatabase createDatabase() {
        return ServerTestDatabase.create(server, names, atExit);
    }

    /**
     * Stops the server as {@code pg_ctl stop -m fast} does, ending every session, and starts it again on the
     * same port. Returns once it accepts connections again.
     */
    public void restart() {
        cluster.restart();
    }

    /** E.g. {@code PostgreSQL 15.20 (throwaway cluster on 127.0.0.1:41234)}. */
    public String description() {
        return server.description();
    }

    /** Stops the server and deletes its files. */
    @Override
    public void close() {
        stopAtExit.cancel();
        cluster.stopAndDelete();
    }
}
