package dev.lockstep.spring;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.ClaimLostException;
import dev.lockstep.core.ConflictPolicy;
import dev.lockstep.core.Coordinator;
import dev.lockstep.core.ExecutionResult;
import dev.lockstep.core.HeldRun;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.util.ClassUtils;

/**
 * Managed execution for code that cannot use {@link ExclusiveRun} — a call from the same object, a key known only
 * inside the method — with the same behaviour: begin, heartbeat while the work runs, complete or fail, and
 * {@link ExclusiveRunContext} set for the work.
 *
 * <pre>{@code
 * Report report = lockstep.execute("repo/" + repo, "deploy", run -> deployer.deploy(repo));
 * }</pre>
 *
 * <p>Thread-safe; one per application is enough.
 */
public final class LockstepTemplate {

    private final Coordinator coordinator;
    private final String owner;

    /**
     * @param coordinator the coordinator every execution uses; build it on a {@code DataSource} that is not
     *                    transaction-aware ({@link #independentOf(DataSource)}), so that lockstep's writes commit on
     *                    their own
     * @param owner       written on every run this template claims; {@link #defaultOwner()} names this process
     */
    public LockstepTemplate(Coordinator coordinator, String owner) {
        this.coordinator = Objects.requireNonNull(coordinator, "coordinator must not be null");
        this.owner = Objects.requireNonNull(owner, "owner must not be null");
    }

    /** A template on a coordinator of {@code dataSource}, seen through any transaction-aware proxy, owned by this process. */
    public static LockstepTemplate of(DataSource dataSource, Coordinator.Options options) {
        return new LockstepTemplate(Coordinator.create(independentOf(dataSource), options), defaultOwner());
    }

    /**
     * The data source behind Spring's {@code TransactionAwareDataSourceProxy}s, whose connections would join the
     * caller's transaction: a run begun there would commit or roll back with the caller's work, and another
     * node could begin the same key meanwhile. Any other data source is returned as it is — a pool hands lockstep
     * a connection of its own even inside {@code @Transactional}.
     */
    public static DataSource independentOf(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        return TransactionAwareProxies.PRESENT ? TransactionAwareProxies.unwrap(dataSource) : dataSource;
    }

    /** {@code host:pid}, the owner this process writes when none is configured. */
    public static String defaultOwner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    public Coordinator coordinator() {
        return coordinator;
    }

    public String owner() {
        return owner;
    }

    /**
     * Begins a run of {@code name} on {@code key}, runs {@code work} while heartbeating it, and completes it (or
     * fails it when the work throws).
     *
     * @return what the work returned
     * @throws AlreadyActiveException another run holds the key; the work did not run
     * @throws ClaimLostException     the work returned after its run was lost: nothing was completed
     * @throws E                      what the work threw, unchanged; the run is failed
     */
    public <T, E extends Exception> T execute(String key, String name, HeldRun.Work<T, E> work) throws E {
        return coordinator.execute(key, name, owner, withContext(work));
    }

    /**
     * As {@link #execute(String, String, HeldRun.Work)}, with {@code policy} for a key another run holds:
     * {@link ExecutionResult.Existing} under {@code USE_EXISTING} (the work did not run), the holder cancelled
     * under {@code CANCEL_EXISTING}.
     */
    public <T, E extends Exception> ExecutionResult<T> execute(String key, String name, ConflictPolicy policy,
            HeldRun.Work<T, E> work) throws E {
        return coordinator.execute(key, name, owner, policy, withContext(work));
    }

    private static <T, E extends Exception> HeldRun.Work<T, E> withContext(HeldRun.Work<T, E> work) {
        Objects.requireNonNull(work, "work must not be null");
        return run -> {
            ExclusiveRunContext.enter(run);
            try {
                return work.run(run);
            } finally {
                ExclusiveRunContext.exit();
            }
        };
    }

    @Override
    public String toString() {
        return "LockstepTemplate[" + coordinator.options().strategy().label() + ", owner=" + owner + "]";
    }

    /** Kept apart so that lockstep-spring loads without spring-jdbc on the class path. */
    private static final class TransactionAwareProxies {

        static final boolean PRESENT = ClassUtils.isPresent(
                "org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy", LockstepTemplate.class.getClassLoader());

        static DataSource unwrap(DataSource dataSource) {
            DataSource current = dataSource;
            while (current instanceof org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy proxy) {
                current = Objects.requireNonNull(proxy.getTargetDataSource(),
                        "the TransactionAwareDataSourceProxy has no target data source");
            }
            return current;
        }
    }
}
