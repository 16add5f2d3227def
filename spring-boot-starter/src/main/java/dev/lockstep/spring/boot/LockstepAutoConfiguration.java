package dev.lockstep.spring.boot;

import dev.lockstep.core.Coordinator;
import dev.lockstep.core.CoordinatorListener;
import dev.lockstep.core.Schema;
import dev.lockstep.core.Strategy;
import dev.lockstep.spring.EnableLockstep;
import dev.lockstep.spring.LockstepTemplate;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * lockstep for a Spring Boot application with a {@code DataSource}: a {@link Coordinator} on it (or on the one marked
 * {@link LockstepDataSource}), a {@link LockstepTemplate}, and {@code @ExclusiveRun}, set by {@code lockstep.*}.
 * Each bean backs off when the application declares its own. The coordinator is created after Flyway, Liquibase
 * and Boot's SQL scripts ran, and checks the schema its strategy needs unless {@code lockstep.schema.validate=false}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration", // Boot 3
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" // Boot 4
})
@ConditionalOnBean(DataSource.class)
@ConditionalOnProperty(prefix = "lockstep", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(LockstepProperties.class)
public class LockstepAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public Coordinator lockstepCoordinator(LockstepProperties properties, @LockstepDataSource ObjectProvider<DataSource> lockstepDataSource,
            ObjectProvider<DataSource> dataSource, ObjectProvider<LockstepCustomizer> customizers,
            ObjectProvider<CoordinatorListener> listeners) {
        DataSource source = LockstepTemplate.independentOf(lockstepDataSource.getIfAvailable(dataSource::getObject));
        Coordinator.Options options = options(properties);
        for (LockstepCustomizer customizer : customizers.orderedStream().toList()) {
            options = customizer.customize(options);
        }
        if (properties.getSchema().getInitializeMode() == LockstepProperties.InitializeMode.ALWAYS) {
            Schema.install(source, options.strategy(), options.tables());
        }
        Coordinator coordinator = Coordinator.create(source, options);
        List<CoordinatorListener> heard = listeners.orderedStream().toList();
        return heard.isEmpty() ? coordinator : coordinator.withListener(Listeners.of(heard));
    }

    @Bean
    @ConditionalOnMissingBean
    public LockstepTemplate lockstepTemplate(Coordinator lockstepCoordinator, LockstepProperties properties) {
        String owner = properties.getOwner();
        return new LockstepTemplate(lockstepCoordinator, owner == null || owner.isBlank() ? LockstepTemplate.defaultOwner() : owner);
    }

    static Coordinator.Options options(LockstepProperties properties) {
        Strategy strategy = Strategy.fromLabel(properties.getStrategy());
        if (!strategy.isSafe()) {
            throw new IllegalArgumentException("lockstep.strategy=" + properties.getStrategy() + " is lockstep's deliberately "
                    + "unsafe strategy, for demonstrations; use running-at-creation, advisory-lock, lease or pending-guard");
        }
        return Coordinator.Options.of(strategy)
                .withStaleAfter(properties.getStaleAfter())
                .withLockTimeout(properties.getLockTimeout())
                .withLockNamespace(properties.getLockNamespace())
                .withSchemaCheck(properties.getSchema().isValidate())
                .withTables(properties.getSchema().tables());
    }

    /** {@code @ExclusiveRun}; {@code @EnableLockstep} orders it by {@code lockstep.annotation.order} when that is set. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "lockstep.annotation", name = "enabled", havingValue = "true", matchIfMissing = true)
    @EnableLockstep
    static class ExclusiveRunConfiguration {}
}
