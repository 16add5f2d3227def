package dev.lockstep.testdb;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A directory of PostgreSQL server binaries ({@code initdb}, {@code pg_ctl}, {@code postgres})
 * and the version they report.
 *
 * @param directory the real directory, symbolic links resolved
 */
record LocalPostgresBinaries(Path directory, PostgresVersion version) {

    /** Where distributions install versioned binaries: {@code /usr/lib/postgresql/<major>/bin}. */
    static final Path DEBIAN_INSTALL_ROOT = Path.of("/usr/lib/postgresql");

    private static final List<String> PROGRAMS = List.of("initdb", "pg_ctl", "postgres");
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);

    Path program(String name) {
        return directory.resolve(name);
    }

    /**
     * Every usable set of binaries, highest version first: each directory on {@code pathVariable}
     * that holds {@code initdb} (followed through symbolic links to where it really lives, so
     * {@code /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb} counts as the latter),
     * and each {@code <root>/<anything>/bin} of the {@code installRoots}.
     */
    static List<LocalPostgresBinaries> find(String pathVariable, List<Path> installRoots) {
        Set<Path> candidates = new LinkedHashSet<>();
        for (String entry : pathVariable.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                realDirectoryOf(Path.of(entry, "initdb")).ifPresent(candidates::add);
            }
        }
        for (Path root : installRoots) {
            if (Files.isDirectory(root)) {
                try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
                    for (Path version : versions) {
                        realDirectoryOf(version.resolve("bin").resolve("initdb")).ifPresent(candidates::add);
                    }
                } catch (IOException e) {
                    // an unreadable install root holds nothing we could run anyway
                }
            }
        }
        List<LocalPostgresBinaries> usable = new ArrayList<>();
        for (Path directory : candidates) {
            if (PROGRAMS.stream().allMatch(program -> Files.isExecutable(directory.resolve(program)))) {
                versionOf(directory).ifPresent(version -> usable.add(new LocalPostgresBinaries(directory, version)));
            }
        }
        usable.sort(Comparator.comparing(LocalPostgresBinaries::version).reversed());
        return usable;
    }

    private static Optional<Path> realDirectoryOf(Path program) {
        if (!Files.isExecutable(program)) {
            return Optional.empty();
        }
        try {
            return Optional.of(program.toRealPath().getParent());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<PostgresVersion> versionOf(Path directory) {
        try {
            OsCommand.Result result = OsCommand.run(
                    List.of(directory.resolve("pg_ctl").toString(), "--version"), directory, VERSION_TIMEOUT);
            return result instanceof OsCommand.Result.Exited exited && exited.code() == 0
                    ? PostgresVersion.parseToolOutput(exited.output())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
