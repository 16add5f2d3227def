package dev.lockstep.testdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A program of this test class path run in a JVM of its own, to see what is left after that JVM exits. */
final class ChildJvm {

    static final int TIME_LIMIT_SECONDS = 120;

    private ChildJvm() {}

    /**
     * Runs {@code main}'s {@code main} in a child JVM and asserts it exited, with code 0, within
     * {@link #TIME_LIMIT_SECONDS}.
     *
     * @param output where the child's output goes
     * @return everything it printed
     */
    static String run(Class<?> main, Path output) throws Exception {
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                main.getName())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean exited = child.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(exited).as("the child JVM exited within %d s; it printed:%n%s", TIME_LIMIT_SECONDS, printed).isTrue();
        assertThat(child.exitValue()).as(printed).isZero();
        return printed;
    }

    /** The rest of the first printed line that starts with {@code prefix}. */
    static String line(String printed, String prefix) {
        return printed.lines().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " line in:\n" + printed));
    }
}
