package dev.lockstep.spring;

import dev.lockstep.core.ConflictPolicy;
import dev.lockstep.core.Run;
import dev.lockstep.spring.ExclusiveRun.OnConflict;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;

/**
 * One {@link ExclusiveRun} method, checked once: its parsed key, its run name, and what a conflict returns.
 * {@link #of} refuses, with the method named, what the proxy could not honour.
 */
final class ExclusiveRunMethod {

    private static final SpelExpressionParser PARSER = new SpelExpressionParser();
    private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();
    /** Return types whose work goes on after the method returned: the run would complete before it. */
    private static final String[] DEFERRED_TYPES = {
        "org.reactivestreams.Publisher", "kotlinx.coroutines.flow.Flow", "kotlinx.coroutines.Deferred"
    };

    final Method method;
    final String name;
    final OnConflict onConflict;
    private final Expression key;
    private final String keySource;
    private final Class<? extends Throwable>[] noFailFor;
    private final boolean returnsOptional;

    private ExclusiveRunMethod(Method method, ExclusiveRun annotation, Expression key, String keySource) {
        this.method = method;
        this.name = annotation.name().isBlank()
                ? ClassUtils.getUserClass(method.getDeclaringClass()).getSimpleName() + "." + method.getName()
                : annotation.name();
        this.onConflict = annotation.onConflict();
        this.key = key;
        this.keySource = keySource;
        this.noFailFor = annotation.noFailFor();
        this.returnsOptional = method.getReturnType() == Optional.class;
    }

    /** The annotation on {@code method} or a method it overrides or implements, if any. */
    static ExclusiveRun annotationOf(Method method) {
        return AnnotatedElementUtils.findMergedAnnotation(method, ExclusiveRun.class);
    }

    /**
     * @param placeholders resolves {@code ${...}} in the key
     * @throws IllegalStateException the proxy cannot honour the method, with what to do instead
     */
    static ExclusiveRunMethod of(Method method, UnaryOperator<String> placeholders) {
        ExclusiveRun annotation = annotationOf(method);
        if (annotation == null) {
            throw new IllegalArgumentException(method + " has no @ExclusiveRun");
        }
        int modifiers = method.getModifiers();
        if (Modifier.isPrivate(modifiers) || Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers)) {
            throw refused(method, "a " + (Modifier.isPrivate(modifiers) ? "private" : Modifier.isStatic(modifiers) ? "static" : "final")
                    + " method cannot be proxied, so every call would run unguarded; make it a public, non-final instance "
                    + "method, or call LockstepTemplate.execute inside it");
        }
        Class<?> returnType = method.getReturnType();
        if (Future.class.isAssignableFrom(returnType) || CompletionStage.class.isAssignableFrom(returnType)
                || Arrays.stream(DEFERRED_TYPES).anyMatch(type -> isA(returnType, type)) || isSuspending(method)) {
            throw refused(method, "it returns " + returnType.getSimpleName() + ", whose work goes on after the call returns, so "
                    + "the run would complete before the work did; return the result itself (run it on the executor's "
                    + "thread), or call LockstepTemplate.execute inside the asynchronous task");
        }
        switch (annotation.onConflict()) {
            case SKIP -> {
                if (returnType.isPrimitive() && returnType != void.class) {
                    throw refused(method, "onConflict = SKIP returns null when another run holds the key, which a "
                            + returnType + " cannot be; return " + ClassUtils.resolvePrimitiveIfNecessary(returnType).getSimpleName()
                            + " or Optional, or use onConflict = FAIL");
                }
            }
            case USE_EXISTING -> {
                boolean run = returnType.isAssignableFrom(Run.class) && returnType != Object.class;
                boolean optionalRun = returnType == Optional.class && ResolvableType.forMethodReturnType(method).getGeneric(0)
                        .toClass().isAssignableFrom(Run.class);
                if (!run && !optionalRun) {
                    throw refused(method, "onConflict = USE_EXISTING returns the run that holds the key, so the method must "
                            + "return dev.lockstep.core.Run or Optional<Run>, not " + method.getGenericReturnType().getTypeName()
                            + "; use onConflict = SKIP to return null instead");
                }
            }
            default -> { }
        }
        String source = placeholders.apply(annotation.key());
        if (source == null || source.isBlank()) {
            throw refused(method, "its key is empty; give a SpEL expression such as \"#repo\" or \"'nightly'\"");
        }
        Expression key;
        try {
            key = PARSER.parseExpression(source);
        } catch (ParseException e) {
            throw refused(method, "its key \"" + source + "\" is not a SpEL expression (" + e.getMessage()
                    + "); quote a constant key: \"'nightly'\"");
        }
        return new ExclusiveRunMethod(method, annotation, key, source);
    }

    /** The key for a call with {@code arguments} on {@code target}. */
    String key(Object target, Object[] arguments, BeanFactory beanFactory) {
        MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(target, method, arguments, PARAMETER_NAMES);
        if (beanFactory != null) {
            context.setBeanResolver(new BeanFactoryResolver(beanFactory));
        }
        Object value = key.getValue(context);
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("@ExclusiveRun key \"" + keySource + "\" of " + describe(method) + " gave "
                    + (value == null ? "null" : "a " + value.getClass().getName() + " (" + value + ")")
                    + " for the arguments " + Arrays.toString(arguments) + ": it must give a string; nothing was written");
        }
        return text;
    }

    /**
     * The policy of the begin: SKIP asks for the holder too (and answers without it), so that only the begin's
     * own refusal skips the call, never an {@code AlreadyActiveException} the method itself threw.
     */
    ConflictPolicy policy() {
        return switch (onConflict) {
            case FAIL -> ConflictPolicy.FAIL;
            case SKIP, USE_EXISTING -> ConflictPolicy.USE_EXISTING;
            case CANCEL_EXISTING -> ConflictPolicy.CANCEL_EXISTING;
        };
    }

    /** Whether {@code thrown} completes the run rather than failing it. */
    boolean completesOn(Throwable thrown) {
        return Arrays.stream(noFailFor).anyMatch(type -> type.isInstance(thrown));
    }

    /** What the call returns when it is skipped. */
    Object skipped() {
        return returnsOptional ? Optional.empty() : null;
    }

    /** What the call returns when it answers with the run that holds the key. */
    Object existing(Run holder) {
        return returnsOptional ? Optional.of(holder) : holder;
    }

    static String describe(Method method) {
        return ClassUtils.getUserClass(method.getDeclaringClass()).getName() + "." + method.getName()
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }

    private static IllegalStateException refused(Method method, String why) {
        return new IllegalStateException("@ExclusiveRun on " + describe(method) + " is refused: " + why);
    }

    private static boolean isA(Class<?> type, String className) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return ClassUtils.getAllInterfacesForClassAsSet(type).stream().anyMatch(i -> i.getName().equals(className));
    }

    private static boolean isSuspending(Method method) {
        Class<?>[] parameters = method.getParameterTypes();
        return parameters.length > 0 && parameters[parameters.length - 1].getName().equals("kotlin.coroutines.Continuation");
    }
}
