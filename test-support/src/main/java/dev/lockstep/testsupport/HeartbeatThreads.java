package dev.lockstep.testsupport;

import java.util.List;

/**
 * The heartbeat threads of lock-core's managed executions still alive in this JVM: none once every
 * execution has returned. A test that ends with one alive has leaked a heartbeat.
 */
public final class HeartbeatThreads {

    /** How lock-core names a heartbeat thread: this, then the run id. */
    public static final String PREFIX = "lockstep-heartbeat-";

    private HeartbeatThreads() {}

    public static List<String> alive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName).filter(name -> name.startsWith(PREFIX)).toList();
    }
}
