package dev.lockstep.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code lockstep} command. Errors a user can fix — a bad option, URL or name, an unreachable
 * database — print one line and exit with 2; a stack trace only with {@code --verbose}.
 */
@Command(name = "lockstep", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "At most one active run per key: prove it with real interleavings, install it, pick a strategy.",
        subcommands = {DemoCommand.class, RaceCommand.class, BenchCommand.class, SoakCommand.class, SchemaCommand.class, InstallCommand.class})
public final class Lockstep implements Callable<Integer> {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "print stack traces of errors")
    boolean verbose;

    private final Interruption interruption;

    private Lockstep(Interruption interruption) {
        this.interruption = interruption;
    }

    /** Where the subcommands register their scratch places, so that a signal cleans them up. */
    Interruption interruption() {
        return interruption;
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.setProperty("org.jooq.no-logo", "true"); // the command's output, not a library's banner
        System.setProperty("org.jooq.no-tips", "true");
        // HikariCP logs each pool's start and stop at INFO, and bench opens a pool per cell
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // the MariaDB driver logs every error the server sends at WARN, a refused insert (1062) included
        System.setProperty("org.slf4j.simpleLogger.log.org.mariadb.jdbc", "error");
        System.setProperty("java.awt.headless", "true"); // bench --chart draws off screen, also on a machine with a display
        Lockstep root = new Lockstep(new Interruption(Thread.currentThread(), System.err));
        // Ctrl-C or a kill: stop the work and clean up the scratch places (a hook runs at every exit, so it is
        // removed before a normal one; during a signal's it cannot be, and the JVM exits with the signal's status)
        Thread hook = root.interruption.hook();
        Runtime.getRuntime().addShutdownHook(hook);
        int code = run(root, args);
        root.interruption.finished();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // a signal's shutdown is under way, and the JVM ends with the signal's status once the hook is done.
            // System.exit(code) here could end it first, with the command's own code: once the hooks have run, a
            // nonzero exit halts at once (seen: bench interrupted by SIGINT exited 2, not 130)
            return;
        }
        System.exit(code);
    }

    /** Runs the command line and returns its exit code (for tests: nothing exits, and no signal is handled). */
    static int run(String... args) {
        return run(new Lockstep(new Interruption(Thread.currentThread(), System.err)), args);
    }

    private static int run(Lockstep root, String... args) {
        CommandLine commandLine = new CommandLine(root);
        commandLine.setParameterExceptionHandler((e, given) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("lockstep: " + firstLine(e.getMessage()) + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (root.interruption.signalled()) {
                return 2; // the work was stopped by the signal, whose cleanup says so; the JVM exits with the signal's status
            }
            boolean verbose = parsed.matchedOption("--verbose") != null || root.verbose;
            if (verbose) {
                e.printStackTrace(cmd.getErr());
            }
            String message = e instanceof CommandFailure ? e.getMessage() : e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
            cmd.getErr().println("lockstep: " + message + (verbose ? "" : " (--verbose for details)"));
            return 2;
        });
        return commandLine.execute(args);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
