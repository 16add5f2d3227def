package dev.lockstep.spring.boot;

import dev.lockstep.micrometer.LockstepMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * lockstep's meters ({@code lockstep.operation}, {@code lockstep.claims}, {@code lockstep.run.active},
 * {@code lockstep.run}) in the application's {@link MeterRegistry}, when lockstep-micrometer is on the class path
 * and {@code lockstep.metrics.enabled} is not false.
 */
@AutoConfiguration(before = LockstepAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration", // Boot 3
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration", // Boot 4
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
})
@ConditionalOnClass({LockstepMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "lockstep", name = {"enabled", "metrics.enabled"}, havingValue = "true", matchIfMissing = true)
public class LockstepMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public LockstepMetrics lockstepMetrics(MeterRegistry registry) {
        return LockstepMetrics.on(registry);
    }
}
