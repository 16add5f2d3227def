package dev.lockstep.dsl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which actor moves at each yield point, as plain data. Its text form is the actor names separated by
 * single spaces ({@code A A B A B B}); {@link #parse} reads exactly what {@link #toString} writes.
 *
 * <p>A decision may also name the step the actor is to send there, as {@code actor:step}: a session
 * step's name ({@code s1:s1ae}), or, for any actor, the method or {@code File.java:line} of the call
 * site that sends the statement ({@code A:guard}, {@code A:NightlyJob.java:42}). A replay then checks
 * it, and fails with the step it found instead when the code under test has changed, rather than
 * quietly giving the decision to whatever the actor sends now.
 *
 * <p>A replay follows a schedule exactly: one actor per decision of the run, no more, no fewer. A
 * schedule that names an actor that cannot move, or ends while actors can still move, fails the
 * replay, unless the replay is told how to run the rest (the harness's
 * {@code Explorer.replay(schedule).thenInDeclarationOrder()}). Explorers use schedules as prefixes too.
 */
public record Schedule(List<String> steps) {

    private static final Schedule EMPTY = new Schedule(List.of());

    /** Between the actor and the step in a decision that names its step: {@code A:guard}. */
    public static final String STEP_SEPARATOR = ":";

    public Schedule {
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        for (String step : steps) {
            int separator = step.indexOf(STEP_SEPARATOR);
            Actor.checkName(separator < 0 ? step : step.substring(0, separator));
            if (separator >= 0 && (separator == step.length() - 1 || step.chars().anyMatch(Character::isWhitespace))) {
                throw new IllegalArgumentException("decision '" + step + "' names no step after its actor (write A or A:step)");
            }
        }
    }

    public static Schedule empty() {
        return EMPTY;
    }

    public static Schedule of(String... steps) {
        return new Schedule(Arrays.asList(steps));
    }

    /** The schedule written as {@code A A B}: names separated by white space. */
    public static Schedule parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        return trimmed.isEmpty() ? EMPTY : new Schedule(Arrays.asList(trimmed.split("\\s+")));
    }

    public int size() {
        return steps.size();
    }

    /** Decision {@code index} as written: the actor, or {@code actor:step}. */
    public String get(int index) {
        return steps.get(index);
    }

    /** The actor that moves at decision {@code index}. */
    public String actor(int index) {
        String step = steps.get(index);
        int separator = step.indexOf(STEP_SEPARATOR);
        return separator < 0 ? step : step.substring(0, separator);
    }

    /** The step decision {@code index} names (after {@code actor:}), or null when it names only the actor. */
    public String stepName(int index) {
        String step = steps.get(index);
        int separator = step.indexOf(STEP_SEPARATOR);
        return separator < 0 ? null : step.substring(separator + 1);
    }

    /** This schedule with {@code actor} appended. */
    public Schedule then(String actor) {
        List<String> longer = new ArrayList<>(steps.size() + 1);
        longer.addAll(steps);
        longer.add(actor);
        return new Schedule(longer);
    }

    /** The first {@code length} steps. */
    public Schedule prefix(int length) {
        return new Schedule(steps.subList(0, Math.min(length, steps.size())));
    }

    /** How many times the moving actor changes from one step to the next. */
    public int switches() {
        int switches = 0;
        for (int i = 1; i < steps.size(); i++) {
            if (!actor(i).equals(actor(i - 1))) {
                switches++;
            }
        }
        return switches;
    }

    @Override
    public String toString() {
        return String.join(" ", steps);
    }
}
