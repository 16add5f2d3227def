package dev.lockstep.dsl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/** What every actor of one run ended with, in declaration order. */
public final class Outcomes {

    private final Map<String, Outcome> byActor;

    public Outcomes(Map<String, Outcome> byActor) {
        this.byActor = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(byActor, "byActor")));
    }

    public Outcome of(String actor) {
        Outcome outcome = byActor.get(actor);
        if (outcome == null) {
            throw new IllegalArgumentException("no actor named '" + actor + "'; actors: " + byActor.keySet());
        }
        return outcome;
    }

    public Map<String, Outcome> asMap() {
        return byActor;
    }

    /** How many actors' outcomes satisfy {@code test}. */
    public long count(Predicate<Outcome> test) {
        return byActor.values().stream().filter(test).count();
    }

    /** How many actors returned a value of {@code type}. */
    public long returned(Class<?> type) {
        return count(o -> o.returned(type));
    }

    /**
     * How many actors returned a value equal to {@code value}, e.g. {@code returned("acquired") == 1}
     * (a {@code Class} argument counts by type: {@link #returned(Class)}).
     */
    public long returned(Object value) {
        return count(o -> o.returned(value));
    }

    /** How many actors returned a value (null included) that satisfies {@code test}. */
    public long returnedWhere(Predicate<Object> test) {
        return count(o -> o.returnedWhere(test));
    }

    /** How many actors returned a {@code type} that satisfies {@code test}. */
    public <T> long returnedWhere(Class<T> type, Predicate<? super T> test) {
        return count(o -> o.returnedWhere(type, test));
    }

    /** The names of the actors whose outcomes satisfy {@code test}, in declaration order. */
    public List<String> actorsWhere(Predicate<Outcome> test) {
        Objects.requireNonNull(test, "test");
        return byActor.entrySet().stream().filter(e -> test.test(e.getValue())).map(Map.Entry::getKey).toList();
    }

    /** How many actors threw a {@code type}. */
    public long threw(Class<? extends Throwable> type) {
        return count(o -> o.threw(type));
    }

    /** e.g. {@code A=Claim[...] B=AlreadyActiveException}: the key of an outcome frequency table. */
    public String label() {
        StringBuilder label = new StringBuilder();
        byActor.forEach((actor, outcome) -> label.append(label.length() == 0 ? "" : " ").append(actor).append('=').append(outcome.label()));
        return label.toString();
    }

    /**
     * e.g. {@code A=Claim B=AlreadyActiveException}: each actor's returned type ({@code null} for
     * nothing), thrown exception, or {@code deadlocked}. Coarser than {@link #label()}, so values that
     * differ from run to run (ids, fences) do not make every run an outcome of its own.
     */
    public String typeLabel() {
        StringBuilder label = new StringBuilder();
        byActor.forEach((actor, outcome) -> {
            String what = outcome instanceof Outcome.Returned r
                    ? (r.value() == null ? "null" : r.value().getClass().getSimpleName())
                    : outcome.label();
            label.append(label.length() == 0 ? "" : " ").append(actor).append('=').append(what);
        });
        return label.toString();
    }

    @Override
    public String toString() {
        return label();
    }
}
