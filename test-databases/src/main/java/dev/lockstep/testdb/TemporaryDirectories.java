package dev.lockstep.testdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** The temporary directories test databases live in: created under {@code java.io.tmpdir}, deleted whole. */
final class TemporaryDirectories {

    private TemporaryDirectories() {}

    static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory under "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    /** Deletes {@code directory} and everything in it; a directory that is already gone is fine. */
    static void delete(Path directory) {
        try {
            Files.walkFileTree(directory, DELETER);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + directory + ": " + e, e);
        }
    }

    /**
     * Stateless, and created with this class rather than at the first delete: deletes run in shutdown
     * hooks, when a program's class loader may already be closed (exec:java closes it when main returns).
     */
    private static final SimpleFileVisitor<Path> DELETER = new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
            }
            throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
                throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
        }
    };
}
