package dev.lockstep.testdb;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Names for new test databases on a server (PostgreSQL, MariaDB): {@code lockstep_<pid>_<n>}. The
 * process id keeps two JVMs (two surefire forks, two CI jobs) that share one server from racing for
 * the same name; a name left over by a crashed run with a recycled process id is skipped by trying
 * the next one.
 */
final class DatabaseNames {

    /** How many names {@link ServerTestDatabase#create} tries before giving up. */
    static final int ATTEMPTS = 100;

    private final String prefix = "lockstep_" + ProcessHandle.current().pid() + "_";
    private final AtomicLong counter = new AtomicLong();

    String next() {
        return prefix + counter.incrementAndGet();
    }
}
