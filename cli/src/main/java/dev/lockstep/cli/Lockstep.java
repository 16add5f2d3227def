package dev.lockstep.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code lockstep} command. Errors a user can fix — a bad option, URL or name, an unreachable
 * database — print one line and exit with 2; a stack trace only with {@code --verbose}.
 */
@Command(name = "lockstep", mixinStandardHelpOptions = true, version = "lockstep 0.1.0-SNAPSHOT",
        description = "At most one active run per key: prove it with real interleavings, install it, pick a strategy.",
        subcommands = {DemoCommand.class, RaceCommand.class, BenchCommand.class, SchemaCommand.class, InstallCommand.class})
public final class Lockstep implements Callable<Integer> {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "print stack traces of errors")
    boolean verbose;

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
        System.setProperty("java.awt.headless", "true"); // bench --chart draws off screen, also on a machine with a display
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests: nothing exits). */
    static int run(String... args) {
        Lockstep root = new Lockstep();
        CommandLine commandLine = new CommandLine(root);
        commandLine.setParameterExceptionHandler((e, given) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("lockstep: " + firstLine(e.getMessage()) + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
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
