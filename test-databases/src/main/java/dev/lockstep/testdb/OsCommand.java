package dev.lockstep.testdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one operating-system command with a time limit. Output goes to a file, not a pipe: a
 * daemon the command leaves behind (a postmaster started by {@code pg_ctl}) could keep a pipe open
 * and make reading it hang.
 */
final class OsCommand {

    /** How a command ended. */
    sealed interface Result {
        /** Everything the command printed, stdout and stderr interleaved. */
        String output();

        record Exited(int code, String output) implements Result {}

        /** Still running after the time limit; it and its descendants were killed. */
        record TimedOut(Duration limit, String output) implements Result {}
    }

    private OsCommand() {}

    /**
     * Runs {@code command} in {@code directory}, without the {@code PG*} variables of this
     * process's environment (a stray {@code PGPORT} or {@code PGDATA} must not redirect the
     * PostgreSQL tools).
     *
     * @throws IOException if the command cannot be started at all
     */
    static Result run(List<String> command, Path directory, Duration limit) throws IOException {
        Path output = Files.createTempFile("lockstep-command-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
            Process process = builder.start();
            process.getOutputStream().close(); // nothing to say: a tool that prompts gets end-of-file
            boolean finished;
            try {
                finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            }
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new Result.TimedOut(limit, Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result.Exited(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * Empty when {@code result} is exit code 0; otherwise a message naming the command, how it
     * ended and the end of its output.
     */
    static Optional<String> failure(Result result, List<String> command) {
        String how;
        if (result instanceof Result.Exited exited) {
            if (exited.code() == 0) {
                return Optional.empty();
            }
            how = "failed with exit code " + exited.code();
        } else {
            how = "did not finish within " + ((Result.TimedOut) result).limit().toSeconds() + " s and was killed";
        }
        return Optional.of(show(command) + " " + how + ":\n" + tail(result.output(), 15));
    }

    /** The command as a person would type it, for messages. */
    static String show(List<String> command) {
        return String.join(" ", command);
    }

    /** The last {@code lines} lines of {@code text}, indented, for quoting tool output in messages. */
    static String tail(String text, int lines) {
        List<String> all = text.strip().lines().toList();
        List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
        return last.isEmpty() ? "      (no output)" : "      | " + String.join("\n      | ", last);
    }
}
