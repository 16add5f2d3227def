package dev.lockstep.testdb;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A PostgreSQL container started with Testcontainers when Docker is available: one per provider,
 * so one per JVM for {@link TestDatabases#shared()}, stopped at JVM exit.
 *
 * <p>All Testcontainers classes are touched only from here, so a user who leaves Testcontainers
 * off the class path loses this source and nothing else.
 */
final class TestcontainersPostgresSource implements ServerSource<PostgresServer> {

    /** The pinned image. */
    static final String IMAGE = "postgres:16-alpine";

    /** How long Testcontainers may take to decide whether Docker is there. */
    static final long DOCKER_PROBE_TIMEOUT_SECONDS = 30;

    private final Map<String, String> environment;
    private final PrintStream log;

    TestcontainersPostgresSource(Map<String, String> environment, PrintStream log) {
        this.environment = environment;
        this.log = log;
    }

    @Override
    public String name() {
        return "Testcontainers (" + IMAGE + ")";
    }

    @Override
    public ServerLookup<PostgresServer> lookUp(ExitActions atExit) {
        Optional<String> noDocker = DockerTraces.whyNone(environment, Path.of(System.getProperty("user.home")));
        if (noDocker.isPresent()) {
            return new ServerLookup.Missing<>(noDocker.get());
        }
        try {
            Optional<String> dockerProblem = probeDocker();
            if (dockerProblem.isPresent()) {
                return new ServerLookup.Missing<>(dockerProblem.get());
            }
            return startContainer(atExit);
        } catch (LinkageError e) {
            return new ServerLookup.Missing<>("Testcontainers is not on the class path (" + e + ")");
        }
    }

    private static Optional<String> probeDocker() {
        FutureTask<Boolean> probe = new FutureTask<>(() -> DockerClientFactory.instance().isDockerAvailable());
        Thread thread = new Thread(probe, "lockstep-docker-probe");
        thread.setDaemon(true); // a probe stuck on a dead socket must not keep the JVM alive
        thread.start();
        try {
            return probe.get(DOCKER_PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    ? Optional.empty()
                    : Optional.of("Testcontainers found no working Docker environment"
                            + " (DockerClientFactory.isDockerAvailable() is false; its log says why)");
        } catch (TimeoutException e) {
            probe.cancel(true);
            return Optional.of("Testcontainers did not find out within " + DOCKER_PROBE_TIMEOUT_SECONDS
                    + " s whether Docker is available");
        } catch (ExecutionException e) {
            return Optional.of("Testcontainers failed while looking for Docker: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while Testcontainers was looking for Docker");
        }
    }

    private ServerLookup<PostgresServer> startContainer(ExitActions atExit) {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse(IMAGE))
                // as the throwaway cluster: durability is not what tests measure; one connection per
                // actor, and test classes may run in parallel
                .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=200");
        try {
            container.start(); // bounded by the container's own startup timeout
        } catch (RuntimeException e) {
            container.stop();
            return new ServerLookup.Missing<>("Docker is available but the " + IMAGE + " container did not start: "
                    + e.getMessage());
        }
        atExit.add("stop the " + IMAGE + " container", container::stop);
        PostgresUrl url = PostgresUrl.parse(container.getJdbcUrl()).orElseThrow()
                .with("user", container.getUsername())
                .with("password", container.getPassword());
        String origin = "Testcontainers " + IMAGE + " on " + url.hosts();
        try {
            PostgresServer server = PostgresServer.connect(url, origin, true);
            log.println("lockstep: started a " + server.description() + " for PostgreSQL test databases");
            return new ServerLookup.Found<>(server);
        } catch (SQLException e) {
            return new ServerLookup.Missing<>("the " + IMAGE + " container started but does not accept connections"
                    + " at " + url.redacted() + ": " + e.getMessage());
        }
    }
}
