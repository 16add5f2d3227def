package dev.lockstep.spring.boot;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.TableNames;
import dev.lockstep.spring.ExclusiveRunAdvisor;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** lockstep's settings, under {@code lockstep.*}. */
@ConfigurationProperties("lockstep")
public class LockstepProperties {

    /** Whether to configure lockstep at all. */
    private boolean enabled = true;

    /**
     * How the coordinator keeps one active run per key: running-at-creation (recommended), advisory-lock, lease or
     * pending-guard. Its table or index must exist (see lockstep.schema).
     */
    private String strategy = "running-at-creation";

    /** How long a running run may go without a heartbeat before another process may take it over. */
    private Duration staleAfter = Coordinator.Options.DEFAULT_STALE_AFTER;

    /** The longest any statement waits for a database lock before the call fails with LockTimeoutException. */
    private Duration lockTimeout = Coordinator.Options.DEFAULT_LOCK_TIMEOUT;

    /** Mixed into advisory lock ids, so that two applications sharing a database do not serialize each other. */
    private String lockNamespace = Coordinator.Options.DEFAULT_LOCK_NAMESPACE;

    /** Written on every run this application claims; the default is the host name and process id. */
    private String owner;

    private final Schema schema = new Schema();
    private final Annotation annotation = new Annotation();
    private final Metrics metrics = new Metrics();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getStrategy() {
        return strategy;
    }

    public void setStrategy(String strategy) {
        this.strategy = strategy;
    }

    public Duration getStaleAfter() {
        return staleAfter;
    }

    public void setStaleAfter(Duration staleAfter) {
        this.staleAfter = staleAfter;
    }

    public Duration getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    public String getLockNamespace() {
        return lockNamespace;
    }

    public void setLockNamespace(String lockNamespace) {
        this.lockNamespace = lockNamespace;
    }

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public Schema getSchema() {
        return schema;
    }

    public Annotation getAnnotation() {
        return annotation;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    /** Where lockstep's tables are and what they are called, when they are created, and whether they are checked at startup. */
    public static class Schema {

        /** The PostgreSQL schema or MariaDB database of lockstep's tables (it must exist); unset: the connection's own. Not on SQLite. */
        private String name;

        /** What every table, index and constraint name of lockstep starts with: tables <prefix>run, <prefix>lease, <prefix>key_lock. */
        private String tablePrefix = TableNames.DEFAULT_PREFIX;

        /** Whether lockstep creates its tables and its strategy's index at startup, when they are missing. */
        private InitializeMode initializeMode = InitializeMode.NEVER;

        /** Whether startup fails when a table, column or the strategy's index is missing. */
        private boolean validate = true;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        /** The table names these properties give. */
        TableNames tables() {
            return new TableNames(name == null || name.isBlank() ? null : name, tablePrefix);
        }

        public InitializeMode getInitializeMode() {
            return initializeMode;
        }

        public void setInitializeMode(InitializeMode initializeMode) {
            this.initializeMode = initializeMode;
        }

        public boolean isValidate() {
            return validate;
        }

        public void setValidate(boolean validate) {
            this.validate = validate;
        }
    }

    /** Whether lockstep creates its schema at startup. */
    public enum InitializeMode {
        /** Never: the tables come from your migrations (Flyway, Liquibase) or from {@code lockstep install}. */
        NEVER,
        /** At every startup, creating only what is missing; safe when several instances start at once. */
        ALWAYS
    }

    /** The {@code @ExclusiveRun} annotation. */
    public static class Annotation {

        /** Whether @ExclusiveRun methods are proxied. */
        private boolean enabled = true;

        /** The order of the @ExclusiveRun advice; the default runs it just outside @Transactional, so a run completes after its transaction committed. */
        private int order = ExclusiveRunAdvisor.DEFAULT_ORDER;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getOrder() {
            return order;
        }

        public void setOrder(int order) {
            this.order = order;
        }
    }

    /** lockstep's Micrometer meters. */
    public static class Metrics {

        /** Whether the coordinator reports its operations and runs to the application's MeterRegistry. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
