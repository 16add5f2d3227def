package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Finding binaries, with fake ones: shell scripts that answer {@code --version} like pg_ctl does. */
@DisabledOnOs(OS.WINDOWS)
class LocalPostgresBinariesTest {

    @TempDir
    Path temp;

    @Test
    void theHighestVersionWinsWhereverItIsFound() throws IOException {
        Path old = fakeBinaries(temp.resolve("old/bin"), "9.6.24");
        Path onPathNewer = fakeBinaries(temp.resolve("newer/bin"), "15.2");
        Path installRoot = temp.resolve("usr-lib-postgresql");
        Path newest = fakeBinaries(installRoot.resolve("15/bin"), "15.20");
        fakeBinaries(installRoot.resolve("14/bin"), "14.1");

        List<LocalPostgresBinaries> found = LocalPostgresBinaries.find(
                old + File.pathSeparator + onPathNewer, List.of(installRoot));

        assertThat(found).extracting(binaries -> binaries.version().toString())
                .containsExactly("15.20", "15.2", "14.1", "9.6.24");
        assertThat(found.get(0).directory()).isEqualTo(newest.toRealPath());
    }

    @Test
    void aLinkOnPathCountsAsTheDirectoryItPointsTo() throws IOException {
        Path real = fakeBinaries(temp.resolve("real/bin"), "16.1");
        Path linkDirectory = Files.createDirectories(temp.resolve("local/bin"));
        Files.createSymbolicLink(linkDirectory.resolve("initdb"), real.resolve("initdb"));

        List<LocalPostgresBinaries> found = LocalPostgresBinaries.find(linkDirectory.toString(), List.of());

        assertThat(found).singleElement().satisfies(binaries -> {
            assertThat(binaries.directory()).isEqualTo(real.toRealPath());
            assertThat(binaries.program("pg_ctl")).isEqualTo(real.toRealPath().resolve("pg_ctl"));
        });
    }

    @Test
    void aDirectoryMissingAProgramOrAVersionIsPassedOver() throws IOException {
        Path withoutPostgres = fakeBinaries(temp.resolve("incomplete/bin"), "16.1");
        Files.delete(withoutPostgres.resolve("postgres"));
        Path mute = fakeBinaries(temp.resolve("mute/bin"), "16.1");
        script(mute.resolve("pg_ctl"), "echo 'no version here'");

        assertThat(LocalPostgresBinaries.find(withoutPostgres + File.pathSeparator + mute, List.of(temp.resolve("absent"))))
                .isEmpty();
    }

    private static Path fakeBinaries(Path directory, String version) throws IOException {
        Files.createDirectories(directory);
        script(directory.resolve("initdb"), "exit 1");
        script(directory.resolve("postgres"), "exit 1");
        script(directory.resolve("pg_ctl"), "echo 'pg_ctl (PostgreSQL) " + version + " (fake)'");
        return directory;
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
