package dev.lockstep.testdb;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A {@link ThrowawayCluster} from the highest-version PostgreSQL binaries found on {@code PATH} or
 * under {@code /usr/lib/postgresql/<major>/bin}.
 */
final class ThrowawayClusterSource implements ServerSource<PostgresServer> {

    private final Map<String, String> environment;
    private final List<Path> installRoots;
    private final PrintStream log;

    ThrowawayClusterSource(Map<String, String> environment, List<Path> installRoots, PrintStream log) {
        this.environment = environment;
        this.installRoots = List.copyOf(installRoots);
        this.log = log;
    }

    @Override
    public String name() {
        return "a throwaway cluster from local PostgreSQL binaries (initdb and pg_ctl on PATH or under "
                + installRoots.stream().map(root -> root + "/*/bin").toList() + ")";
    }

    @Override
    public ServerLookup<PostgresServer> lookUp(ExitActions atExit) {
        return launch(atExit).lookup();
    }

    /** As {@link #lookUp}, keeping the cluster, so that its owner can restart or stop it. */
    ThrowawayCluster.Launched launch(ExitActions atExit) {
        String path = environment.getOrDefault("PATH", "");
        List<LocalPostgresBinaries> found = LocalPostgresBinaries.find(path, installRoots);
        if (found.isEmpty()) {
            return missing("none found: no such directory holds initdb, pg_ctl and postgres"
                    + " (answering pg_ctl --version); PATH=" + path);
        }
        ClusterOsUser.Choice choice = ClusterOsUser.choose(environment);
        if (choice instanceof ClusterOsUser.Choice.NoneUsable none) {
            return missing("found PostgreSQL " + found.get(0).version() + " in "
                    + found.get(0).directory() + ", but " + none.reason());
        }
        ClusterOsUser user = ((ClusterOsUser.Choice.Chosen) choice).user();
        return ThrowawayCluster.launch(found.get(0), user, atExit, log);
    }

    private static ThrowawayCluster.Launched missing(String reason) {
        return new ThrowawayCluster.Launched(null, null, new ServerLookup.Missing<>(reason));
    }
}
