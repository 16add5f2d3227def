package dev.lockstep.dsl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which actor moves at each yield point, as plain data. Its text form is the actor names separated by
 * single spaces ({@code A A B A B B}); {@link #parse} reads exactly what {@link #toString} writes.
 *
 * <p>A replay follows a schedule exactly: one actor per decision of the run, no more, no fewer. A
 * schedule that names an actor that cannot move, or ends while actors can still move, fails the
 * replay, unless the replay is told how to run the rest (the harness's
 * {@code Explorer.replay(schedule).thenInDeclarationOrder()}). Explorers use schedules as prefixes too.
 */
public record Schedule(List<String> steps) {

    private static final Schedule EMPTY = new Schedule(List.of());

    public Schedule {
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        for (String step : steps) {
            Actor.checkName(step);
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

    public String get(int index) {
        return steps.get(index);
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
            if (!steps.get(i).equals(steps.get(i - 1))) {
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
