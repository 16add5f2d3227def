package dev.lockstep.testdb;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The operating-system user the throwaway cluster runs as. PostgreSQL refuses to run as root, so
 * when the JVM is root (containers, CI images) the binaries run as {@code postgres} (the account
 * distribution packages create) or else {@code nobody}, through util-linux's
 * {@code runuser -u USER --}, or {@code su -s /bin/sh -c ... USER} where runuser is missing.
 * Otherwise they run as the JVM's own user.
 */
sealed interface ClusterOsUser {

    /** The users tried, in order, when the JVM runs as root. */
    List<String> CANDIDATES = List.of("postgres", "nobody");

    /** {@code command}, run as this user. */
    List<String> command(List<String> command);

    /** The user switched to; empty when the binaries run as the JVM's own user. */
    Optional<String> switchedTo();

    /** The JVM's own user. */
    record Itself() implements ClusterOsUser {
        @Override
        public List<String> command(List<String> command) {
            return command;
        }

        @Override
        public Optional<String> switchedTo() {
            return Optional.empty();
        }
    }

    /** {@code runuser -u USER -- command...}: no shell, no PAM session, the environment kept. */
    record ViaRunuser(String user, Path runuser) implements ClusterOsUser {
        @Override
        public List<String> command(List<String> command) {
            List<String> wrapped = new ArrayList<>(List.of(runuser.toString(), "-u", user, "--"));
            wrapped.addAll(command);
            return wrapped;
        }

        @Override
        public Optional<String> switchedTo() {
            return Optional.of(user);
        }
    }

    /** {@code su -s /bin/sh -c 'command...' USER}: a shell is given because {@code nobody} has none. */
    record ViaSu(String user, Path su) implements ClusterOsUser {
        @Override
        public List<String> command(List<String> command) {
            String quoted = command.stream()
                    .map(argument -> "'" + argument.replace("'", "'\\''") + "'")
                    .collect(Collectors.joining(" "));
            return List.of(su.toString(), "-s", "/bin/sh", "-c", quoted, user);
        }

        @Override
        public Optional<String> switchedTo() {
            return Optional.of(user);
        }
    }

    /** What {@link #choose} found. */
    sealed interface Choice {
        record Chosen(ClusterOsUser user) implements Choice {}

        record NoneUsable(String reason) implements Choice {}
    }

    /**
     * The user for this JVM: itself unless it is root; else the first existing {@linkplain
     * #CANDIDATES candidate}, through runuser or su found on {@code PATH} or in the system
     * directories.
     */
    static Choice choose(Map<String, String> environment) {
        if (!runsAsRoot()) {
            return new Choice.Chosen(new Itself());
        }
        Optional<String> user = CANDIDATES.stream().filter(ClusterOsUser::exists).findFirst();
        if (user.isEmpty()) {
            return new Choice.NoneUsable("the JVM runs as root, which PostgreSQL refuses, and none of the OS users "
                    + CANDIDATES + " exists to run it as");
        }
        Optional<Path> runuser = findProgram("runuser", environment);
        if (runuser.isPresent()) {
            return new Choice.Chosen(new ViaRunuser(user.get(), runuser.get()));
        }
        Optional<Path> su = findProgram("su", environment);
        if (su.isPresent()) {
            return new Choice.Chosen(new ViaSu(user.get(), su.get()));
        }
        return new Choice.NoneUsable("the JVM runs as root, which PostgreSQL refuses, and neither runuser nor su"
                + " is there to run it as OS user " + user.get());
    }

    /** Hands {@code path} to this user, so the cluster can write there; nothing to do when not switching. */
    default void own(Path path) throws IOException {
        if (switchedTo().isPresent()) {
            Files.setOwner(path, principal(switchedTo().get()));
        }
    }

    /** For the start-up line, e.g. {@code as OS user postgres (the JVM runs as root, which PostgreSQL refuses)}. */
    default String describe() {
        return switchedTo().map(user -> "as OS user " + user + " (the JVM runs as root, which PostgreSQL refuses)")
                .orElseGet(() -> "as OS user " + System.getProperty("user.name"));
    }

    /** Whether the JVM runs as root, which PostgreSQL and MariaDB refuse to run as. */
    static boolean runsAsRoot() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        } catch (LinkageError | RuntimeException e) { // not a Unix JVM: no root to avoid
            return false;
        }
    }

    /** Whether the OS knows {@code user}. */
    static boolean exists(String user) {
        try {
            principal(user);
            return true;
        } catch (IOException e) { // UserPrincipalNotFoundException, mostly
            return false;
        }
    }

    private static UserPrincipal principal(String user) throws IOException {
        return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
    }

    private static Optional<Path> findProgram(String program, Map<String, String> environment) {
        List<String> directories = new ArrayList<>(List.of(environment.getOrDefault("PATH", "").split(File.pathSeparator)));
        directories.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")); // a PATH may lack the sbin ones
        return directories.stream()
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, program))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
