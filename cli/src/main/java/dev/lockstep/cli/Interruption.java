package dev.lockstep.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Ctrl-C (SIGINT) or a kill (SIGTERM) does to a running command, so that no scratch schema, database or
 * file is left behind.
 *
 * <ol>
 *   <li>Every scratch {@link Target} the command opens is {@link #opened registered} here, and
 *       {@link #closed deregistered} once its cleanup has run.
 *   <li>On the signal the JVM runs {@link #hook()}: it marks the command as signalled (a target opened from
 *       now on is refused, and the command's own error line is not printed), interrupts the command's
 *       thread, which stops its workers (bench, soak, race and demo each stop theirs within a bound) and
 *       closes its targets as it unwinds, and waits for the command to return up to {@link #STOP_BOUND}.
 *   <li>It closes whatever the command left open by then itself (on PostgreSQL and MariaDB ending the scratch
 *       schema's or database's sessions if they hold its locks), and prints one line saying what was cleaned up.
 * </ol>
 * The hook is installed by {@link Lockstep#main} only, and removed before a normal exit.
 */
final class Interruption {

    /** How long the command's thread may take to stop its workers and close its targets before the hook does. */
    static final Duration STOP_BOUND = Duration.ofSeconds(20);

    private final Thread command;
    private final PrintStream err;
    private final Set<Target> open = ConcurrentHashMap.newKeySet();
    private final List<String> cleaned = new ArrayList<>();
    private volatile boolean signalled;
    private boolean finished; // guarded by this

    /**
     * @param command the thread that runs the command
     * @param err     where the hook's line goes
     */
    Interruption(Thread command, PrintStream err) {
        this.command = command;
        this.err = err;
    }

    /** A shutdown hook for {@code Runtime.addShutdownHook}. */
    Thread hook() {
        return new Thread(this::onSignal, "lockstep-interruption");
    }

    /** Whether a signal came: the command's failure is then the signal's doing, and the hook reports it. */
    boolean signalled() {
        return signalled;
    }

    /** {@code target} was opened; refused once a signal came, so nothing new is created while cleaning up. */
    synchronized void opened(Target target) {
        open.add(target);
        if (signalled) {
            target.close();
            throw new CommandFailure("interrupted");
        }
    }

    /** The command returned (its targets are closed): a signal's cleanup need not wait any longer. */
    synchronized void finished() {
        finished = true;
        notifyAll();
    }

    /** {@code target}'s cleanup ran; {@code what} says what it removed. */
    synchronized void closed(Target target, String what) {
        if (open.remove(target) && signalled) {
            cleaned.add(what);
        }
        notifyAll();
    }

    private void onSignal() {
        List<Target> left;
        synchronized (this) {
            signalled = true;
            command.interrupt();
            long until = System.nanoTime() + STOP_BOUND.toNanos();
            // until the command has returned, not only until nothing is open: it may be opening a target right now
            for (long rest = STOP_BOUND.toMillis(); !finished && rest > 0; rest = (until - System.nanoTime()) / 1_000_000) {
                try {
                    wait(rest);
                } catch (InterruptedException e) {
                    break;
                }
            }
            left = List.copyOf(open);
        }
        for (Target target : left) {
            target.close(); // the command did not stop in time: clean up under its feet
        }
        synchronized (this) {
            err.println("lockstep: interrupted; " + (cleaned.isEmpty() ? "no scratch schema, database or file was open"
                    : "stopped the work and " + String.join(", ", cleaned)));
            err.flush();
        }
    }
}
