package dev.lockstep.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Turns on {@link ExclusiveRun} in a Spring application without the Boot starter. The context must hold a
 * {@link LockstepTemplate} bean, or a {@code Coordinator} bean (then the runs' owner is
 * {@link LockstepTemplate#defaultOwner()}).
 *
 * <pre>{@code
 * @Configuration
 * @EnableLockstep
 * class LockstepConfig {
 *     @Bean
 *     LockstepTemplate lockstep(DataSource dataSource) {
 *         return LockstepTemplate.of(dataSource, Coordinator.Options.of(Strategy.RUNNING_AT_CREATION));
 *     }
 * }
 * }</pre>
 *
 * <p>Beans with {@code @ExclusiveRun} methods are proxied by subclassing (as Boot does by default), so that a
 * method no interface declares is guarded too. Every {@code @ExclusiveRun} method is checked when its bean is
 * created: one the proxy could not honour fails the context's start, naming the method.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import({LockstepProxyRegistrar.class, LockstepConfiguration.class})
public @interface EnableLockstep {

    /**
     * The order of {@link ExclusiveRun}'s advice among other advisors; the default puts it just outside
     * {@code @Transactional}, so the run completes after the method's transaction committed. The property
     * {@code lockstep.annotation.order}, when set, takes its place.
     */
    int order() default ExclusiveRunAdvisor.DEFAULT_ORDER;
}
