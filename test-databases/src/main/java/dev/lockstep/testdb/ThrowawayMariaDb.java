package dev.lockstep.testdb;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server that exists for one JVM, made from local binaries:
 *
 * <ol>
 *   <li>a fresh temporary directory holds the data directory, the server log, the pid file, the
 *       unix socket (never clashing with a system server's {@code /run/mysqld}) and the server's
 *       {@code tmpdir}: a server deletes every {@code #sql} file in its {@code tmpdir} when it starts,
 *       and in a shared {@code /tmp} those are another server's temporary tables in use (its queries
 *       then fail with "Error on delete of '/tmp/#sql-temptable-...'"); when the JVM runs
 *       as root it is handed to OS user {@link #OS_USER}, which the server then runs as (its own
 *       {@code --user} option: mariadbd refuses root unless told otherwise);
 *   <li>{@code mariadb-install-db}, with {@code root} allowed in without a password from
 *       127.0.0.1, and no test database;
 *   <li>{@code mariadbd} with no option files of the machine ({@code --no-defaults}), listening on a
 *       free port of 127.0.0.1 only ({@code --skip-networking=0}, a new port if another process took
 *       it meanwhile), the redo log not flushed at each commit and no doublewrite buffer (tests do
 *       not measure durability), room for 200 connections; one connection proves it answers and
 *       that it is this server (its data directory);
 *   <li>at JVM exit, the server is stopped (SIGTERM, then SIGKILL if it has not ended in
 *       {@link #STOP_TIMEOUT_SECONDS} s) and the directory deleted.
 * </ol>
 *
 * Every step is bounded in time, and a failure names the step, the command and the end of its
 * output.
 */
final class ThrowawayMariaDb {

    /** The OS user the server runs as when the JVM is root. */
    static final String OS_USER = "mysql";
    static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(120);
    static final int START_TIMEOUT_SECONDS = 60;
    static final int STOP_TIMEOUT_SECONDS = 20;
    static final int PORT_ATTEMPTS = 3;
    /** How long to wait between two attempts to connect while the server starts. */
    private static final long START_POLL_MILLIS = 100;

    private final LocalMariaDbBinaries binaries;
    private final Optional<String> osUser;
    private final Path directory;
    private final Path data;
    private final Path serverLog;
    /** The server's own {@code tmpdir}; see the class comment. */
    private final Path tmp;
    private volatile Process server; // the running mariadbd, once started

    private ThrowawayMariaDb(LocalMariaDbBinaries binaries, Optional<String> osUser, Path directory) {
        this.binaries = binaries;
        this.osUser = osUser;
        this.directory = directory;
        this.data = directory.resolve("data");
        this.serverLog = directory.resolve("server.log");
        this.tmp = directory.resolve("tmp");
    }

    /**
     * Starts a server, or says which step failed and why.
     *
     * @param osUser the OS user to run as, empty to run as the JVM's own user
     */
    static ServerLookup<MariaDbServer> start(LocalMariaDbBinaries binaries, Optional<String> osUser, ExitActions atExit,
            PrintStream log) {
        Path directory;
        try {
            directory = TemporaryDirectories.create("lockstep-mariadb-");
        } catch (UncheckedIOException e) {
            return new ServerLookup.Missing<>(e.getMessage());
        }
        ThrowawayMariaDb throwaway = new ThrowawayMariaDb(binaries, osUser, directory);
        return LocalServers.start("throwaway MariaDB server", directory, throwaway::installAndStart,
                throwaway::stopAndDelete, atExit, log).lookup();
    }

    private ServerLookup<MariaDbServer> installAndStart(PrintStream log) throws IOException {
        Files.createDirectories(tmp);
        if (osUser.isPresent()) {
            var owner = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(osUser.get());
            Files.setOwner(directory, owner);
            Files.setOwner(tmp, owner);
        }
        // install's bootstrap server cleans its tmpdir on start too
        List<String> install = new ArrayList<>(List.of(binaries.installDb().toString(), "--no-defaults",
                "--datadir=" + data, "--tmpdir=" + tmp, "--auth-root-authentication-method=normal", "--skip-test-db"));
        osUser.ifPresent(user -> install.add("--user=" + user));
        Optional<String> installFailure = OsCommand.failure(OsCommand.run(install, directory, INSTALL_TIMEOUT), install);
        if (installFailure.isPresent()) {
            return new ServerLookup.Missing<>(installFailure.get());
        }
        String lastFailure = "";
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int port = LocalServers.freePort();
            long logSizeBefore = LocalServers.logSize(serverLog);
            List<String> command = serverCommand(port);
            server = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("mariadbd.out").toFile())
                    .start();
            server.getOutputStream().close();
            Optional<ServerLookup<MariaDbServer>> answer = awaitAnswer(port, log);
            if (answer.isPresent()) {
                return answer.get();
            }
            String newLog = LocalServers.logSince(serverLog, logSizeBefore);
            lastFailure = OsCommand.show(command) + " " + (server.isAlive()
                    ? "did not accept connections within " + START_TIMEOUT_SECONDS + " s"
                    : "exited with code " + server.exitValue())
                    + ";\n    server log " + serverLog + ":\n" + OsCommand.tail(newLog, 15);
            stopServer();
            if (!newLog.contains("Address already in use")) {
                break; // not a port race: another port will not help
            }
        }
        return new ServerLookup.Missing<>(lastFailure);
    }

    private List<String> serverCommand(int port) {
        List<String> command = new ArrayList<>(List.of(binaries.server().toString(), "--no-defaults",
                "--datadir=" + data,
                "--tmpdir=" + tmp,
                "--socket=" + directory.resolve("mariadbd.sock"),
                "--pid-file=" + directory.resolve("mariadbd.pid"),
                "--log-error=" + serverLog,
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--skip-networking=0",
                "--innodb-flush-log-at-trx-commit=0",
                "--innodb-doublewrite=0",
                "--max-connections=200"));
        osUser.ifPresent(user -> command.add("--user=" + user));
        return command;
    }

    /**
     * Connects until the server answers, it exits, or {@link #START_TIMEOUT_SECONDS} pass; empty
     * when it never answered.
     */
    private Optional<ServerLookup<MariaDbServer>> awaitAnswer(int port, PrintStream log) {
        String origin = "throwaway server on 127.0.0.1:" + port;
        MariaDbUrl url = new MariaDbUrl("127.0.0.1:" + port, Optional.empty(), new TreeMap<>(Map.of("user", "root")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            try {
                if (server.waitFor(START_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    return Optional.empty(); // it exited: its log says why
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            MariaDbServer found;
            try {
                found = MariaDbServer.connect(url, origin, true);
            } catch (SQLException notYet) {
                continue;
            }
            try {
                Path served = Path.of(found.dataDirectory());
                if (!Files.isSameFile(served, data)) {
                    return Optional.of(new ServerLookup.Missing<>("another MariaDB server (data in " + served
                            + ") answers on 127.0.0.1:" + port + ", where the throwaway server was started"));
                }
            } catch (SQLException | IOException e) {
                return Optional.of(new ServerLookup.Missing<>("the throwaway server on 127.0.0.1:" + port
                        + " answered, but not where its data is: " + e));
            }
            log.println("lockstep: started a throwaway MariaDB " + found.version() + " server from "
                    + binaries.server() + " on 127.0.0.1:" + port + " as OS user "
                    + osUser.orElseGet(() -> System.getProperty("user.name")) + ", data in " + directory
                    + "; it is stopped and deleted at JVM exit");
            return Optional.of(new ServerLookup.Found<>(found));
        }
        return Optional.empty();
    }

    /** Stops the server if it runs, then deletes the directory. Bounded: about 30 s at worst. */
    void stopAndDelete() {
        stopServer();
        TemporaryDirectories.delete(directory);
    }

    private void stopServer() {
        Process running = server;
        if (running == null || !running.isAlive()) {
            return;
        }
        running.destroy(); // SIGTERM: a normal shutdown
        try {
            if (!running.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                running.destroyForcibly();
                if (!running.waitFor(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the throwaway MariaDB server (pid " + running.pid() + ") in "
                            + directory + " survived SIGTERM for " + STOP_TIMEOUT_SECONDS + " s and SIGKILL for 10 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
