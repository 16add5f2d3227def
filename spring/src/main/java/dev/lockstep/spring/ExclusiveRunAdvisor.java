package dev.lockstep.spring;

import dev.lockstep.core.ExecutionResult;
import dev.lockstep.core.HeldRun;
import dev.lockstep.core.Run;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.lang.Nullable;
import org.springframework.util.function.SingletonSupplier;

/**
 * The advisor behind {@link ExclusiveRun}: its pointcut matches the annotated methods, its advice runs each call
 * as a lockstep run through a {@link LockstepTemplate}. {@link EnableLockstep} registers one; tests and code
 * building proxies by hand can use {@code new ExclusiveRunAdvisor(template)} with a {@code ProxyFactory}.
 *
 * <p>Its order is {@code Ordered.LOWEST_PRECEDENCE - 1} unless set: ahead of {@code @Transactional}'s advisor, so
 * the run is begun before the method's transaction and completed after it committed.
 */
public final class ExclusiveRunAdvisor extends AbstractPointcutAdvisor implements BeanFactoryAware {

    /** The default order: just ahead of the transaction advisor, whose default order is the lowest precedence. */
    public static final int DEFAULT_ORDER = Ordered.LOWEST_PRECEDENCE - 1;

    private static final Log log = LogFactory.getLog(ExclusiveRunAdvisor.class);

    private final Supplier<LockstepTemplate> templates;
    private final Map<Method, ExclusiveRunMethod> methods = new ConcurrentHashMap<>();
    private final Pointcut pointcut = new StaticMethodMatcherPointcut() {
        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return ExclusiveRunMethod.annotationOf(AopUtils.getMostSpecificMethod(method, targetClass)) != null;
        }
    };
    private final MethodInterceptor advice = this::invoke;
    @Nullable
    private BeanFactory beanFactory;

    /** An advisor running every annotated method through {@code template}. */
    public ExclusiveRunAdvisor(LockstepTemplate template) {
        this(() -> template);
        Objects.requireNonNull(template, "template must not be null");
    }

    /** An advisor asking {@code templates} for its template at the first call, so that the data source is not built early. */
    ExclusiveRunAdvisor(Supplier<LockstepTemplate> templates) {
        // looked up once: a lookup per call would cost every call a bean search, or a template made anew
        this.templates = SingletonSupplier.of(Objects.requireNonNull(templates, "templates must not be null"));
        setOrder(DEFAULT_ORDER);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return advice;
    }

    /** The checked description of {@code method}, made once; refuses what {@link ExclusiveRunMethod#of} refuses. */
    ExclusiveRunMethod method(Method method) {
        return methods.computeIfAbsent(method, m -> ExclusiveRunMethod.of(m, placeholders(beanFactory)));
    }

    static UnaryOperator<String> placeholders(@Nullable BeanFactory beanFactory) {
        return beanFactory instanceof ConfigurableBeanFactory configurable ? configurable::resolveEmbeddedValue : UnaryOperator.identity();
    }

    private Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> targetClass = target != null ? AopUtils.getTargetClass(target) : invocation.getMethod().getDeclaringClass();
        ExclusiveRunMethod method = method(AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass));
        String key = method.key(target, invocation.getArguments(), beanFactory);
        LockstepTemplate template = templates.get();
        HeldRun.Work<Object, Exception> work = run -> proceed(invocation, method);
        try {
            ExecutionResult<Object> result = template.execute(key, method.name, method.policy(), work);
            if (result instanceof ExecutionResult.Existing<Object> existing) {
                return method.onConflict == ExclusiveRun.OnConflict.USE_EXISTING
                        ? method.existing(existing.holder()) : skipped(method, key, existing.holder());
            }
            Object value = ((ExecutionResult.Completed<Object>) result).value();
            if (value instanceof CompletedDespite despite) {
                throw despite.thrown;
            }
            return value;
        } catch (Carrier carrier) {
            throw carrier.getCause();
        }
    }

    private static Object skipped(ExclusiveRunMethod method, String key, Run holder) {
        log.info("Skipped " + ExclusiveRunMethod.describe(method.method) + ": run " + holder.id() + " of '" + holder.name()
                + "' holds key '" + key + "' (owner " + holder.owner().orElse("none") + ", " + holder.status() + ")");
        return method.skipped();
    }

    /** The method's own call; what it throws fails the run, except what {@code noFailFor} names. */
    private static Object proceed(MethodInvocation invocation, ExclusiveRunMethod method) throws Exception {
        try {
            return invocation.proceed();
        } catch (Throwable thrown) {
            if (method.completesOn(thrown)) {
                return new CompletedDespite(thrown);
            }
            if (thrown instanceof Exception exception) {
                throw exception;
            }
            throw new Carrier(thrown);
        }
    }

    /** A {@code noFailFor} throwable: the run completes, then the call throws it. */
    private record CompletedDespite(Throwable thrown) {}

    /** Carries an {@link Error} through lock-core's {@code Work}, which throws exceptions only; the run is failed. */
    private static final class Carrier extends Exception {
        private static final long serialVersionUID = 1L;

        Carrier(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }
}
