package dev.lockstep.junit;

import dev.lockstep.testdb.DatabaseKind;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Turns a {@link RaceTest} method into one invocation per database it names. Registered by the annotation;
 * public only so that JUnit can create it on the module path.
 */
public final class RaceTestExtension implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(method -> AnnotationSupport.isAnnotated(method, RaceTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        RaceTest race = AnnotationSupport.findAnnotation(method, RaceTest.class).orElseThrow();
        List<DatabaseKind> databases = databases(race, method);
        List<String> setup = setup(race, method);
        return databases.stream().map(kind -> new DatabaseInvocation(kind, setup));
    }

    private static List<DatabaseKind> databases(RaceTest race, Method method) {
        if (race.databases().length == 0) {
            throw misconfigured(method, "names no database; name at least one, e.g. databases = DatabaseKind.SQLITE");
        }
        Set<DatabaseKind> seen = EnumSet.noneOf(DatabaseKind.class);
        for (DatabaseKind kind : race.databases()) {
            if (kind == null) {
                throw misconfigured(method, "names a null database");
            }
            if (!seen.add(kind)) {
                throw misconfigured(method, "names " + kind.displayName() + " twice; each database runs once");
            }
        }
        return List.of(race.databases());
    }

    private static List<String> setup(RaceTest race, Method method) {
        String[] statements = race.setup();
        for (int i = 0; i < statements.length; i++) {
            if (statements[i] == null || statements[i].isBlank()) {
                throw misconfigured(method, "has a blank setup statement (" + ordinal(i, statements.length) + ")");
            }
        }
        return Arrays.asList(statements.clone());
    }

    static String ordinal(int index, int count) {
        return "statement " + (index + 1) + " of " + count;
    }

    private static ExtensionConfigurationException misconfigured(Method method, String problem) {
        return new ExtensionConfigurationException("@RaceTest on " + method.getDeclaringClass().getSimpleName() + "."
                + method.getName() + " " + problem);
    }
}
