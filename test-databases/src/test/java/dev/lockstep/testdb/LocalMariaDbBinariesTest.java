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

/** Finding the binaries, with fake ones. */
@DisabledOnOs(OS.WINDOWS)
class LocalMariaDbBinariesTest {

    @TempDir
    Path temp;

    @Test
    void theTwoProgramsMayLiveInDifferentDirectoriesAsDebianPutsThem() throws IOException {
        Path bin = executable(temp.resolve("usr/bin"), "mariadb-install-db");
        Path sbin = executable(temp.resolve("usr/sbin"), "mariadbd");

        assertThat(LocalMariaDbBinaries.find("", List.of(bin, sbin)))
                .contains(new LocalMariaDbBinaries(bin.resolve("mariadb-install-db"), sbin.resolve("mariadbd")));
    }

    @Test
    void pathComesBeforeTheSystemDirectories() throws IOException {
        Path onPath = executable(executable(temp.resolve("opt/bin"), "mariadbd"), "mariadb-install-db");
        Path system = executable(executable(temp.resolve("usr/sbin"), "mariadbd"), "mariadb-install-db");

        assertThat(LocalMariaDbBinaries.find(temp.resolve("absent") + File.pathSeparator + onPath, List.of(system)))
                .contains(new LocalMariaDbBinaries(onPath.resolve("mariadb-install-db"), onPath.resolve("mariadbd")));
    }

    @Test
    void oneProgramAloneOrANonExecutableFileIsNotEnough() throws IOException {
        Path serverOnly = executable(temp.resolve("server-only"), "mariadbd");
        Path notExecutable = Files.createDirectories(temp.resolve("plain"));
        Files.writeString(notExecutable.resolve("mariadb-install-db"), "#!/bin/sh\n");

        assertThat(LocalMariaDbBinaries.find(serverOnly.toString(), List.of(notExecutable))).isEmpty();
    }

    private static Path executable(Path directory, String program) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(program);
        Files.writeString(file, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return directory;
    }
}
