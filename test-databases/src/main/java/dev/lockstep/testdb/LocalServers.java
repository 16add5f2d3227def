package dev.lockstep.testdb;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What starting a server from local binaries needs, whichever database it is. */
final class LocalServers {

    private LocalServers() {}

    /** Starts a server in its directory; an expected failure is a {@link ServerLookup.Missing}. */
    interface Start<S> {
        ServerLookup<S> run(PrintStream log) throws IOException;
    }

    /** What {@link #start} gave: the lookup, and the stop registered at JVM exit while the server runs. */
    record Started<S>(ServerLookup<S> lookup, ExitActions.Registration stopAtExit) {}

    /**
     * Starts a server in {@code directory}, its stop registered at JVM exit before anything runs (a
     * start that times out may still leave a server behind). A start that fails, or throws, is
     * stopped and deleted at once and its registration cancelled.
     *
     * @param what names the server in messages, e.g. {@code throwaway MariaDB server}
     */
    static <S> Started<S> start(String what, Path directory, Start<S> start, Runnable stopAndDelete, ExitActions atExit,
            PrintStream log) {
        ExitActions.Registration stopAtExit = atExit.add("stop the " + what + " in " + directory, stopAndDelete);
        ServerLookup<S> lookup;
        try {
            lookup = start.run(log);
        } catch (IOException | RuntimeException e) {
            lookup = new ServerLookup.Missing<>("could not start a " + what + " in " + directory + ": " + e);
        }
        if (lookup instanceof ServerLookup.Missing) {
            stopAtExit.cancel();
            try {
                stopAndDelete.run();
            } catch (RuntimeException e) {
                log.println("lockstep: could not clean up after the failed start of a " + what + " in " + directory + ": "
                        + e.getMessage());
            }
        }
        return new Started<>(lookup, stopAtExit);
    }

    /** A port of 127.0.0.1 free just now; another process may take it before the server does. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** The size of {@code serverLog}, 0 while it does not exist: where the next start's lines begin. */
    static long logSize(Path serverLog) throws IOException {
        return Files.exists(serverLog) ? Files.size(serverLog) : 0;
    }

    /** What the server wrote to {@code serverLog} after the first {@code offset} bytes. */
    static String logSince(Path serverLog, long offset) throws IOException {
        if (!Files.exists(serverLog)) {
            return "";
        }
        byte[] log = Files.readAllBytes(serverLog);
        int from = (int) Math.min(offset, log.length);
        return new String(log, from, log.length - from, StandardCharsets.UTF_8);
    }
}
