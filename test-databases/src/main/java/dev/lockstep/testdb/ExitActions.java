package dev.lockstep.testdb;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one provider must undo when the JVM exits: test databases left open, then the servers it
 * started. One shutdown hook per provider, registered on first use, runs the actions newest first
 * (databases before the server they live on), each on its own so one failure does not stop the
 * rest. Every action bounds its own waiting.
 */
final class ExitActions {

    /** Cancels one registered action, e.g. because the database was closed by the test. */
    interface Registration {
        void cancel();
    }

    private final PrintStream log;
    private final Map<Object, Action> actions = new LinkedHashMap<>();
    private boolean hookRegistered;

    private record Action(String what, Runnable body) {}

    ExitActions(PrintStream log) {
        this.log = log;
    }

    /**
     * Runs {@code action} at JVM exit unless cancelled first.
     *
     * @param what names the action in the message printed if it fails
     */
    synchronized Registration add(String what, Runnable action) {
        if (!hookRegistered) {
            // in the root thread group: a program run by exec:java lives in a group the plugin destroys
            // when main returns, and a hook thread of a destroyed group never starts
            Runtime.getRuntime().addShutdownHook(new Thread(rootThreadGroup(), this::runAll, "lockstep-test-databases-cleanup"));
            hookRegistered = true;
        }
        Object key = new Object();
        actions.put(key, new Action(what, action));
        return () -> {
            synchronized (this) {
                actions.remove(key);
            }
        };
    }

    private static ThreadGroup rootThreadGroup() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }

    private void runAll() {
        List<Action> newestFirst;
        synchronized (this) {
            newestFirst = new ArrayList<>(actions.values());
            actions.clear();
        }
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            Action action = newestFirst.get(i);
            try {
                action.body().run();
            } catch (RuntimeException | LinkageError e) {
                log.println("lockstep: at JVM exit, could not " + action.what() + ": " + e);
            }
        }
    }
}
