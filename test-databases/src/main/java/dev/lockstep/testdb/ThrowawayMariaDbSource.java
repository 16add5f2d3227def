package dev.lockstep.testdb;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ThrowawayMariaDb} from the {@code mariadb-install-db} and {@code mariadbd} found on
 * {@code PATH} or in {@link LocalMariaDbBinaries#SYSTEM_DIRECTORIES}.
 */
final class ThrowawayMariaDbSource implements ServerSource<MariaDbServer> {

    private final Map<String, String> environment;
    private final List<Path> directories;
    private final PrintStream log;

    ThrowawayMariaDbSource(Map<String, String> environment, List<Path> directories, PrintStream log) {
        this.environment = environment;
        this.directories = List.copyOf(directories);
        this.log = log;
    }

    @Override
    public String name() {
        return "a throwaway server from local MariaDB binaries (mariadb-install-db and mariadbd on PATH or in "
                + directories + ")";
    }

    @Override
    public ServerLookup<MariaDbServer> lookUp(ExitActions atExit) {
        String path = environment.getOrDefault("PATH", "");
        Optional<LocalMariaDbBinaries> binaries = LocalMariaDbBinaries.find(path, directories);
        if (binaries.isEmpty()) {
            return new ServerLookup.Missing<>("none found: no directory of PATH or " + directories
                    + " holds both mariadb-install-db and mariadbd; PATH=" + path);
        }
        Optional<String> osUser = Optional.empty();
        if (ClusterOsUser.runsAsRoot()) {
            if (!ClusterOsUser.exists(ThrowawayMariaDb.OS_USER)) {
                return new ServerLookup.Missing<>("found " + binaries.get().server() + ", but the JVM runs as root, which"
                        + " mariadbd refuses, and OS user " + ThrowawayMariaDb.OS_USER + " does not exist to run it as");
            }
            osUser = Optional.of(ThrowawayMariaDb.OS_USER);
        }
        return ThrowawayMariaDb.start(binaries.get(), osUser, atExit, log);
    }
}
