package dev.lockstep.dsl;

import java.util.Collections;
import java.util.LinkedHashMap;
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

    @Override
    public String toString() {
        return label();
    }
}
