package dev.lockstep.dsl;

import java.util.Objects;
import java.util.function.Predicate;

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

    /**
     * Whether the body returned a value equal to {@code value}. A {@code Class} argument asks about the
     * type instead ({@link #returned(Class)}); for a body that returned null, use
     * {@code returnedWhere(Objects::isNull)}.
     */
    default boolean returned(Object value) {
        return this instanceof Returned r && Objects.equals(r.value(), value);
    }

    /** Whether the body returned a value (null included) that satisfies {@code test}. */
    default boolean returnedWhere(Predicate<Object> test) {
        Objects.requireNonNull(test, "test");
        return this instanceof Returned r && test.test(r.value());
    }

    /** Whether the body returned a {@code type} that satisfies {@code test}. */
    default <T> boolean returnedWhere(Class<T> type, Predicate<? super T> test) {
        Objects.requireNonNull(test, "test");
        return this instanceof Returned r && type.isInstance(r.value()) && test.test(type.cast(r.value()));
    }

    /**
     * The value the body returned, as a {@code type}; for a check that knows what this actor must have
     * returned. Throws {@link IllegalStateException}, saying what happened instead, when it returned
     * something else, returned null, threw, or was a deadlock's victim.
     */
    default <T> T value(Class<T> type) {
        if (this instanceof Returned r && type.isInstance(r.value())) {
            return type.cast(r.value());
        }
        String instead;
        if (this instanceof Returned r) {
            instead = r.value() == null ? "returned null" : "returned " + r.value().getClass().getSimpleName() + " " + r.value();
        } else if (this instanceof Threw t) {
            instead = "threw " + t.error();
        } else {
            instead = "was a deadlock's victim";
        }
        throw new IllegalStateException("expected the body to return a " + type.getSimpleName() + ", but it " + instead);
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
