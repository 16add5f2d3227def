package dev.lockstep.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.spring.ExclusiveRun.OnConflict;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/**
 * Methods {@link ExclusiveRun} cannot honour fail the context's start, naming the method and what to do, before
 * any database is touched (these contexts have none); a method it can honour but with no template or
 * coordinator in the context fails its first call with the bean to declare.
 */
class ExclusiveRunRefusalsTest {

    @Test
    void aFutureReturningMethodIsRefusedAtStartup() {
        assertRefused(Async.class, "@ExclusiveRun on dev.lockstep.spring.ExclusiveRunRefusalsTest$Async.later(String) is refused: "
                + "it returns CompletableFuture, whose work goes on after the call returns, so the run would complete before "
                + "the work did; return the result itself (run it on the executor's thread), or call LockstepTemplate.execute "
                + "inside the asynchronous task");
        assertRefused(AsyncInterface.class, "AsyncInterface.later(String) is refused: it returns Future");
    }

    @Test
    void skipOnAPrimitiveIsRefusedAtStartup() {
        assertRefused(SkipInt.class, "SkipInt.count(String) is refused: onConflict = SKIP returns null when another run holds "
                + "the key, which a int cannot be; return Integer or Optional, or use onConflict = FAIL");
    }

    @Test
    void useExistingNeedsARunToReturn() {
        assertRefused(ExistingString.class, "ExistingString.name(String) is refused: onConflict = USE_EXISTING returns the run "
                + "that holds the key, so the method must return dev.lockstep.core.Run or Optional<Run>, not java.lang.String");
        assertRefused(ExistingOptionalString.class, "not java.util.Optional<java.lang.String>");
    }

    @Test
    void methodsAProxyCannotReachAreRefusedNotSkipped() {
        assertRefused(FinalMethod.class, "FinalMethod.run(String) is refused: a final method cannot be proxied, so every call "
                + "would run unguarded");
        assertRefused(PrivateMethod.class, "PrivateMethod.run(String) is refused: a private method cannot be proxied");
        assertRefused(StaticMethod.class, "StaticMethod.run(String) is refused: a static method cannot be proxied");
    }

    @Test
    void keysThatCannotBeEvaluatedAreRefusedAtStartup() {
        assertRefused(BadKey.class, "BadKey.run(String) is refused: its key \"#repo +\" is not a SpEL expression");
        assertRefused(EmptyKey.class, "EmptyKey.run(String) is refused: its key is empty");
    }

    @Test
    void withoutATemplateOrCoordinatorTheFirstCallSaysWhichBeanToDeclare() {
        try (var context = new AnnotationConfigApplicationContext(Config.class, Fine.class)) {
            Fine fine = context.getBean(Fine.class);

            assertThatThrownBy(() -> fine.run("repo")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("@ExclusiveRun needs a LockstepTemplate or a Coordinator bean; declare "
                            + "LockstepTemplate.of(dataSource, Coordinator.Options.of(strategy)) as a @Bean");
        }
    }

    private static void assertRefused(Class<?> bean, String message) {
        assertThatThrownBy(() -> new AnnotationConfigApplicationContext(Config.class, bean).close())
                .isInstanceOf(BeanCreationException.class)
                .satisfies(e -> assertThat(NestedExceptionUtils.getMostSpecificCause(e)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(message));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableLockstep
    static class Config {}

    public static class Async {
        @ExclusiveRun(key = "#repo")
        public CompletableFuture<String> later(String repo) {
            return CompletableFuture.completedFuture(repo);
        }
    }

    public interface Later {
        Future<String> later(String repo);
    }

    public static class AsyncInterface implements Later {
        @Override
        @ExclusiveRun(key = "#repo")
        public Future<String> later(String repo) {
            return CompletableFuture.completedFuture(repo);
        }
    }

    public static class SkipInt {
        @ExclusiveRun(key = "#repo", onConflict = OnConflict.SKIP)
        public int count(String repo) {
            return 1;
        }
    }

    public static class ExistingString {
        @ExclusiveRun(key = "#repo", onConflict = OnConflict.USE_EXISTING)
        public String name(String repo) {
            return repo;
        }
    }

    public static class ExistingOptionalString {
        @ExclusiveRun(key = "#repo", onConflict = OnConflict.USE_EXISTING)
        public Optional<String> name(String repo) {
            return Optional.of(repo);
        }
    }

    public static class FinalMethod {
        @ExclusiveRun(key = "#repo")
        public final void run(String repo) {}
    }

    public static class PrivateMethod {
        @ExclusiveRun(key = "#repo")
        private void run(String repo) {}

        public void callIt() {
            run("repo");
        }
    }

    public static class StaticMethod {
        @ExclusiveRun(key = "#repo")
        public static void run(String repo) {}
    }

    public static class BadKey {
        @ExclusiveRun(key = "#repo +")
        public void run(String repo) {}
    }

    public static class EmptyKey {
        @ExclusiveRun(key = " ")
        public void run(String repo) {}
    }

    public static class Fine {
        @ExclusiveRun(key = "#repo")
        public void run(String repo) {
            throw new AssertionError("the method ran without a run");
        }
    }
}
