package dev.lockstep.spring;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Checks every {@link ExclusiveRun} method of each bean as the bean is created, so that a method the proxy cannot
 * honour (private, final, asynchronous, SKIP on a primitive, a key that does not parse) fails the context's start
 * instead of running unguarded or failing at its first call.
 */
final class ExclusiveRunMethodCheck implements BeanPostProcessor {

    private final UnaryOperator<String> placeholders;
    private final Set<Class<?>> checked = ConcurrentHashMap.newKeySet();

    ExclusiveRunMethodCheck(BeanFactory beanFactory) {
        this.placeholders = ExclusiveRunAdvisor.placeholders(beanFactory);
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        Class<?> type = ClassUtils.getUserClass(bean);
        if (checked.add(type)) {
            ReflectionUtils.doWithMethods(type, method -> ExclusiveRunMethod.of(method, placeholders),
                    method -> !method.isBridge() && ExclusiveRunMethod.annotationOf(method) != null);
        }
        return bean;
    }
}
