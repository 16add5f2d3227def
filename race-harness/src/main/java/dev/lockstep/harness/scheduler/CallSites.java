package dev.lockstep.harness.scheduler;

import java.security.CodeSource;
import java.util.List;
import java.util.Objects;

/**
 * Where in the code under test a statement was sent from: the first frame of the actor's stack that belongs
 * to neither the harness nor a library. Libraries are the JDK, the JDBC drivers, jOOQ, connection pools,
 * Spring's JDBC support, and the packages a harness was told of ({@code withLibraryPackages}); the harness is
 * the harness's and the dsl's packages as loaded from their own jars (so their tests' actors, in the same packages
 * but elsewhere, are application code).
 */
final class CallSites {

    private static final List<String> LIBRARIES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "org.postgresql.",
            "org.sqlite.", "org.mariadb.jdbc.", "org.jooq.", "com.zaxxer.hikari.", "org.apache.commons.dbcp2.",
            "org.springframework.jdbc.", "org.springframework.transaction.");
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final ClassValue<Boolean> HARNESS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            // by package and by jar: the harness's own tests are in its packages, and a fat jar holds everything
            CodeSource source = type.getProtectionDomain().getCodeSource();
            return source != null && (type.getName().startsWith("dev.lockstep.harness.") && sameSource(source, CallSites.class)
                    || type.getName().startsWith("dev.lockstep.dsl.") && sameSource(source, dev.lockstep.dsl.Race.class));
        }
    };

    private final List<String> libraries;

    /**
     * @param libraryPackages more packages (or classes) whose frames are not call sites, e.g. {@code com.example.db}:
     *     a frame is theirs when its class is named so, or its name goes on after a {@code .} or {@code $}
     */
    CallSites(List<String> libraryPackages) {
        this.libraries = List.copyOf(libraryPackages);
    }

    /** The calling thread's call site, as {@code NightlyJob.enqueue(NightlyJob.java:27)}; null when every frame is a library's. */
    String here() {
        return WALKER.walk(frames -> frames.filter(this::application).findFirst().map(CallSites::text).orElse(null));
    }

    private boolean application(StackWalker.StackFrame frame) {
        String name = frame.getClassName();
        for (String prefix : LIBRARIES) {
            if (name.startsWith(prefix)) {
                return false;
            }
        }
        for (String library : libraries) {
            if (name.startsWith(library) && (name.length() == library.length() || name.charAt(library.length()) == '.'
                    || name.charAt(library.length()) == '$')) {
                return false;
            }
        }
        return !HARNESS.get(frame.getDeclaringClass());
    }

    private static String text(StackWalker.StackFrame frame) {
        String type = frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1);
        String where = frame.getFileName() == null ? "unknown source"
                : frame.getLineNumber() < 0 ? frame.getFileName() : frame.getFileName() + ":" + frame.getLineNumber();
        return type + "." + frame.getMethodName() + "(" + where + ")";
    }

    private static boolean sameSource(CodeSource source, Class<?> of) {
        CodeSource own = of.getProtectionDomain().getCodeSource();
        return own != null && Objects.equals(own.getLocation(), source.getLocation());
    }
}
