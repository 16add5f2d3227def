package dev.lockstep.testdb;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The MariaDB server binaries a throwaway server is made from: {@code mariadb-install-db}, which
 * makes a data directory, and {@code mariadbd}, the server.
 *
 * @param installDb the {@code mariadb-install-db} program
 * @param server the {@code mariadbd} program
 */
record LocalMariaDbBinaries(Path installDb, Path server) {

    /** Where distributions install them, searched after {@code PATH} (which often lacks the sbin ones). */
    static final List<Path> SYSTEM_DIRECTORIES = List.of(Path.of("/usr/bin"), Path.of("/usr/sbin"));

    /**
     * The first {@code mariadb-install-db} and the first {@code mariadbd} in the directories of
     * {@code pathVariable} and then {@code directories}; empty unless both are found.
     */
    static Optional<LocalMariaDbBinaries> find(String pathVariable, List<Path> directories) {
        Set<Path> places = new LinkedHashSet<>();
        for (String entry : pathVariable.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                places.add(Path.of(entry));
            }
        }
        places.addAll(directories);
        List<Path> searched = new ArrayList<>(places);
        Optional<Path> installDb = first(searched, "mariadb-install-db");
        Optional<Path> server = first(searched, "mariadbd");
        return installDb.isPresent() && server.isPresent()
                ? Optional.of(new LocalMariaDbBinaries(installDb.get(), server.get()))
                : Optional.empty();
    }

    private static Optional<Path> first(List<Path> directories, String program) {
        return directories.stream().map(directory -> directory.resolve(program)).filter(Files::isExecutable).findFirst();
    }
}
