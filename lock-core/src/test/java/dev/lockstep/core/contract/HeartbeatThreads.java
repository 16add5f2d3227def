package dev.lockstep.core.contract;

import java.util.List;

/** The heartbeat threads of managed executions still alive in this JVM: none once every execution has returned. */
public final class HeartbeatThreads {

    static final String PREFIX = "lockstep-heartbeat-";

    private HeartbeatThreads() {}

    public static List<String> alive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName).filter(name -> name.startsWith(PREFIX)).toList();
    }
}
