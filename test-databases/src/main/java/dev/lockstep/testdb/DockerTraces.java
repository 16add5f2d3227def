package dev.lockstep.testdb;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A cheap look for any trace of a Docker environment, before asking Testcontainers. Testcontainers
 * answers "no Docker" correctly, but logs an ERROR and several INFO lines while doing so, on every
 * machine without Docker; this look sees the same places its strategies would try (the
 * environment, its properties files, the usual sockets, docker-machine) and keeps such machines
 * quiet. Where it sees any trace, Testcontainers decides.
 */
final class DockerTraces {

    private DockerTraces() {}

    /** Empty when Testcontainers should be asked; otherwise why there is nothing to ask about. */
    static Optional<String> whyNone(Map<String, String> environment, Path home) {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return Optional.empty(); // named pipes: no cheap look, let Testcontainers decide
        }
        if (!environment.getOrDefault("DOCKER_HOST", "").isBlank() || System.getProperty("docker.host") != null) {
            return Optional.empty();
        }
        List<Path> places = new ArrayList<>(List.of(
                home.resolve(".testcontainers.properties"),
                home.resolve(".docker-java.properties"),
                Path.of("/var/run/docker.sock"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock")));
        String runtimeDirectory = environment.getOrDefault("XDG_RUNTIME_DIR", "");
        if (!runtimeDirectory.isBlank()) {
            places.add(Path.of(runtimeDirectory, "docker.sock"));
        }
        for (Path place : places) {
            if (Files.exists(place)) {
                return Optional.empty();
            }
        }
        for (String directory : environment.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "docker-machine"))) {
                return Optional.empty();
            }
        }
        return Optional.of("no Docker environment: DOCKER_HOST is unset, none of " + places
                + " exists, and docker-machine is not on PATH");
    }
}
