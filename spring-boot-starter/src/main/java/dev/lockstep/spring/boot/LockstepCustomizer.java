package dev.lockstep.spring.boot;

import dev.lockstep.core.Coordinator;

/**
 * Adjusts the coordinator's options after the {@code lockstep.*} properties were applied, for what properties cannot
 * say. Every customizer bean is applied, in their {@code @Order}.
 */
@FunctionalInterface
public interface LockstepCustomizer {

    Coordinator.Options customize(Coordinator.Options options);
}
