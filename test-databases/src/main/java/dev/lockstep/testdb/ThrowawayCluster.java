package dev.lockstep.testdb;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL cluster that exists for one JVM, made from local binaries:
 *
 * <ol>
 *   <li>a fresh temporary directory holds the data directory, the server log and the unix socket
 *       directory, and is handed to the {@link ClusterOsUser} (not root: PostgreSQL refuses it);
 *   <li>{@code initdb} with trust authentication, UTF-8, the C locale, and no fsync of its own;
 *   <li>settings appended to {@code postgresql.conf}: listen on 127.0.0.1 only, sockets inside the
 *       directory (never clashing with a system server's {@code /var/run/postgresql}),
 *       {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} off (tests do not
 *       measure durability), room for 200 connections;
 *   <li>{@code pg_ctl start -w} on a free port, a new port if another process took it meanwhile,
 *       then one connection to prove the server answers;
 *   <li>at JVM exit, {@code pg_ctl stop -m immediate} (killing the postmaster if that does not
 *       finish in time) and the directory deleted.
 * </ol>
 *
 * Every step is bounded in time, and a failure names the step, the command and the end of its
 * output.
 */
final class ThrowawayCluster {

    static final String SUPERUSER = "postgres";
    static final Duration INITDB_TIMEOUT = Duration.ofSeconds(120);
    static final int START_TIMEOUT_SECONDS = 60;
    static final int STOP_TIMEOUT_SECONDS = 20;
    static final int PORT_ATTEMPTS = 3;

    private final LocalPostgresBinaries binaries;
    private final ClusterOsUser user;
    private final Path directory;
    private final Path data;
    private final Path sockets;
    private final Path serverLog;
    private int port; // set once the server answers

    /**
     * What a start gave: the cluster when it answers (with the registration that stops it at JVM exit), and
     * what asking for it gave.
     */
    record Launched(ThrowawayCluster cluster, ExitActions.Registration stopAtExit, ServerLookup<PostgresServer> lookup) {}

    private ThrowawayCluster(LocalPostgresBinaries binaries, ClusterOsUser user, Path directory) {
        this.binaries = binaries;
        this.user = user;
        this.directory = directory;
        this.data = directory.resolve("data");
        this.sockets = directory.resolve("run");
        this.serverLog = directory.resolve("server.log");
    }

    /** Starts a cluster, or says which step failed and why. */
    static ServerLookup<PostgresServer> start(LocalPostgresBinaries binaries, ClusterOsUser user, ExitActions atExit, PrintStream log) {
        return launch(binaries, user, atExit, log).lookup();
    }

    /** As {@link #start}, keeping the cluster, so that its owner can restart or stop it. */
    static Launched launch(LocalPostgresBinaries binaries, ClusterOsUser user, ExitActions atExit, PrintStream log) {
        Path directory;
        try {
            directory = TemporaryDirectories.create("lockstep-pg-");
        } catch (UncheckedIOException e) {
            return new Launched(null, null, new ServerLookup.Missing<>(e.getMessage()));
        }
        ThrowawayCluster cluster = new ThrowawayCluster(binaries, user, directory);
        LocalServers.Started<PostgresServer> started = LocalServers.start("throwaway PostgreSQL cluster", directory,
                cluster::initializeAndStart, cluster::stopAndDelete, atExit, log);
        return started.lookup() instanceof ServerLookup.Missing
                ? new Launched(null, null, started.lookup())
                : new Launched(cluster, started.stopAtExit(), started.lookup());
    }

    private ServerLookup<PostgresServer> initializeAndStart(PrintStream log) throws IOException {
        Files.createDirectories(sockets);
        user.own(directory);
        user.own(sockets);

        List<String> initdb = List.of(binaries.program("initdb").toString(), "-D", data.toString(),
                "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
        Optional<String> initdbFailure = OsCommand.failure(OsCommand.run(user.command(initdb), directory, INITDB_TIMEOUT), initdb);
        if (initdbFailure.isPresent()) {
            return new ServerLookup.Missing<>(initdbFailure.get()
                    + user.switchedTo().map(name -> "\n      (" + directory.getParent() + " must be reachable by OS user "
                            + name + ")").orElse(""));
        }
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                "",
                "# added by lockstep for a throwaway test cluster",
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + sockets.toString().replace("'", "''") + "'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "max_connections = 200",
                ""), StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        String lastFailure = "";
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int port = LocalServers.freePort();
            long logSizeBefore = LocalServers.logSize(serverLog);
            List<String> start = List.of(binaries.program("pg_ctl").toString(), "-D", data.toString(),
                    "-l", serverLog.toString(), "-o", "-p " + port, "-w", "-t", String.valueOf(START_TIMEOUT_SECONDS), "start");
            OsCommand.Result result = OsCommand.run(user.command(start), directory,
                    Duration.ofSeconds(START_TIMEOUT_SECONDS + 30));
            Optional<String> startFailure = OsCommand.failure(result, start);
            if (startFailure.isEmpty()) {
                this.port = port;
                return connect(port, log);
            }
            String newLog = LocalServers.logSince(serverLog, logSizeBefore);
            lastFailure = startFailure.get() + "\n    server log " + serverLog + ":\n" + OsCommand.tail(newLog, 15);
            if (!newLog.contains("Address already in use")) {
                break; // not a port race: another port will not help
            }
        }
        return new ServerLookup.Missing<>(lastFailure);
    }

    private ServerLookup<PostgresServer> connect(int port, PrintStream log) {
        String origin = "throwaway cluster on 127.0.0.1:" + port;
        PostgresUrl url = new PostgresUrl("127.0.0.1:" + port, Optional.of("postgres"),
                new TreeMap<>(Map.of("user", SUPERUSER)));
        try {
            PostgresServer server = PostgresServer.connect(url, origin, true);
            log.println("lockstep: started a throwaway PostgreSQL " + server.version() + " cluster from "
                    + binaries.directory() + " on 127.0.0.1:" + port + " " + user.describe() + ", data in "
                    + directory + "; it is stopped and deleted at JVM exit");
            return new ServerLookup.Found<>(server);
        } catch (SQLException e) {
            return new ServerLookup.Missing<>("pg_ctl started the cluster but it does not accept connections on 127.0.0.1:"
                    + port + " (time limit " + PostgresServer.CONNECT_TIMEOUT_SECONDS + " s): " + e.getMessage());
        }
    }

    /**
     * Stops the server as {@code pg_ctl stop -m fast} does (every session ended, a checkpoint written), then
     * starts it again on the same port; bounded like the first start.
     *
     * @throws IllegalStateException naming the step that failed, with the end of its output
     */
    void restart() {
        List<String> stop = List.of(binaries.program("pg_ctl").toString(), "-D", data.toString(),
                "stop", "-m", "fast", "-w", "-t", String.valueOf(STOP_TIMEOUT_SECONDS));
        List<String> start = List.of(binaries.program("pg_ctl").toString(), "-D", data.toString(),
                "-l", serverLog.toString(), "-o", "-p " + port, "-w", "-t", String.valueOf(START_TIMEOUT_SECONDS), "start");
        try {
            OsCommand.failure(OsCommand.run(user.command(stop), directory, Duration.ofSeconds(STOP_TIMEOUT_SECONDS + 10)), stop)
                    .ifPresent(why -> {
                        throw new IllegalStateException(why);
                    });
            OsCommand.failure(OsCommand.run(user.command(start), directory, Duration.ofSeconds(START_TIMEOUT_SECONDS + 30)), start)
                    .ifPresent(why -> {
                        throw new IllegalStateException(why);
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("restarting the cluster in " + directory + " failed", e);
        }
    }

    /** Stops the postmaster if there is one, then deletes the directory. Bounded: about 30 s at worst. */
    void stopAndDelete() {
        Optional<ProcessHandle> postmaster = postmaster();
        if (postmaster.isPresent()) {
            List<String> stop = List.of(binaries.program("pg_ctl").toString(), "-D", data.toString(),
                    "stop", "-m", "immediate", "-w", "-t", String.valueOf(STOP_TIMEOUT_SECONDS));
            try {
                OsCommand.run(user.command(stop), directory, Duration.ofSeconds(STOP_TIMEOUT_SECONDS + 10));
            } catch (IOException e) {
                // fall through to killing it
            }
            if (postmaster.get().isAlive()) {
                postmaster.get().destroyForcibly();
                try {
                    postmaster.get().onExit().get(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("the postmaster (pid " + postmaster.get().pid()
                            + ") of the cluster in " + directory + " survived pg_ctl stop and SIGKILL for 10 s");
                }
            }
        }
        TemporaryDirectories.delete(directory);
    }

    /** The running postmaster, from the first line of {@code postmaster.pid}. */
    private Optional<ProcessHandle> postmaster() {
        try {
            Path pidFile = data.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String firstLine = Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
            return ProcessHandle.of(Long.parseLong(firstLine)).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
