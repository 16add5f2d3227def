package dev.lockstep.dsl;

import java.util.Objects;

/** How one actor's body ended. */
public sealed interface Outcome {

    /** The body returned {@code value} (null for a body with nothing to return). */
    record Returned(Object value) implements Outcome {}

    /** The body threw {@code error}. */
    record Threw(Throwable error) implements Outcome {
        public Threw {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * The actor was one of a set of actors all blocked in the database by one another; the harness
     * cancelled its statement. {@code error} is what the body threw after that, if anything.
     */
    record Deadlocked(Throwable error) implements Outcome {}

    /** Whether the body returned a value of {@code type}. */
    default boolean returned(Class<?> type) {
        return this instanceof Returned r && type.isInstance(r.value());
    }

    /** Whether the body threw (possibly wrapped) a {@code type}. */
    default boolean threw(Class<? extends Throwable> type) {
        if (!(this instanceof Threw t)) {
            return false;
        }
        for (Throwable e = t.error(); e != null; e = e.getCause()) {
            if (type.isInstance(e)) {
                return true;
            }
        }
        return false;
    }

    /** A short text for reports and outcome tables: the value, or the exception's simple class name. */
    default String label() {
        if (this instanceof Returned r) {
            return r.value() == null ? "ok" : String.valueOf(r.value());
        }
        if (this instanceof Threw t) {
            return t.error().getClass().getSimpleName();
        }
        return "deadlocked";
    }
}
