package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class DockerTracesTest {

    @TempDir
    Path home;

    @Test
    void dockerHostMeansAskTestcontainers() {
        assertThat(DockerTraces.whyNone(Map.of("DOCKER_HOST", "tcp://docker:2375"), home)).isEmpty();
    }

    @Test
    void aTestcontainersConfigurationMeansAskTestcontainers() throws IOException {
        Files.writeString(home.resolve(".testcontainers.properties"), "docker.client.strategy=x\n");

        assertThat(DockerTraces.whyNone(Map.of(), home)).isEmpty();
    }

    @Test
    void aRootlessSocketMeansAskTestcontainers() throws IOException {
        Path runtime = Files.createDirectories(home.resolve("run-user"));
        Files.createFile(runtime.resolve("docker.sock"));

        assertThat(DockerTraces.whyNone(Map.of("XDG_RUNTIME_DIR", runtime.toString()), home)).isEmpty();
    }

    @Test
    void noTraceAtAllIsReportedWithThePlacesLooked() {
        assumeFalse(Files.exists(Path.of("/var/run/docker.sock")), "this machine has a system Docker socket");

        assertThat(DockerTraces.whyNone(Map.of("PATH", home.toString()), home)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("no Docker environment: DOCKER_HOST is unset")
                .contains("/var/run/docker.sock")
                .contains(home.resolve(".testcontainers.properties").toString())
                .contains("docker-machine is not on PATH"));
    }
}
