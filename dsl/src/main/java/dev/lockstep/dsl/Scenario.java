package dev.lockstep.dsl;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A race, described: a setup that builds a clean state before every schedule, the actors, the
 * invariants that must hold, and the outcomes expected. Immutable; make one with {@link Race#scenario}.
 */
public record Scenario(String name, List<Setup> setup, List<Actor> actors, List<Invariant> invariants, List<Expectation> expectations,
                       List<Permutation> permutations) {

    /** Run before every schedule, outside the yield points, on a connection of the harness. */
    @FunctionalInterface
    public interface Setup {
        void run(Connection connection) throws SQLException;
    }

    public Scenario {
        Objects.requireNonNull(name, "name");
        setup = List.copyOf(setup);
        actors = List.copyOf(actors);
        invariants = List.copyOf(invariants);
        expectations = List.copyOf(expectations);
        permutations = List.copyOf(permutations);
        if (actors.isEmpty()) {
            throw new IllegalArgumentException("scenario '" + name + "' has no actors");
        }
        Set<String> names = new HashSet<>();
        for (Actor actor : actors) {
            if (!names.add(actor.name())) {
                throw new IllegalArgumentException("scenario '" + name + "' has two actors named '" + actor.name() + "'");
            }
        }
        Map<String, String> sessionOfStep = permutations.isEmpty() ? Map.of() : sessionOfStep(name, actors);
        for (Permutation permutation : permutations) {
            for (Actor actor : actors) {
                if (actor.session() == null) {
                    throw new IllegalArgumentException("scenario '" + name + "' has permutations, so every actor must be a session,"
                            + " but " + actor.name() + " is not (write its statements as a session, or explore instead)");
                }
            }
            for (String step : permutation.steps()) {
                if (!sessionOfStep.containsKey(step)) {
                    throw new IllegalArgumentException("permutation '" + permutation + "' of scenario '" + name
                            + "' names step '" + step + "', which no session has (steps: " + String.join(", ", sessionOfStep.keySet()) + ")");
                }
            }
        }
    }

    /** The session that has each named step, checking that no two steps share a name. */
    private static Map<String, String> sessionOfStep(String scenario, List<Actor> actors) {
        Map<String, String> sessionOf = new LinkedHashMap<>();
        for (Actor actor : actors) {
            if (actor.session() == null) {
                continue;
            }
            for (Session.Step step : actor.session().steps()) {
                if (step.name() != null && sessionOf.putIfAbsent(step.name(), actor.name()) != null) {
                    throw new IllegalArgumentException("scenario '" + scenario + "' has two steps named '" + step.name() + "' (in "
                            + sessionOf.get(step.name()) + " and " + actor.name() + "): a permutation could not tell them apart");
                }
            }
        }
        return sessionOf;
    }

    /**
     * The scenario that runs {@code permutation}: each session with only the steps the permutation
     * names, in the permutation's order (its setup kept), where a step may wait only if it says so, and
     * no permutations of its own. Run it with
     * {@link #scheduleOf}.
     */
    public Scenario permuted(Permutation permutation) {
        Map<String, String> sessionOf = sessionOfStep(name, actors);
        List<Actor> permuted = new ArrayList<>(actors.size());
        for (Actor actor : actors) {
            Session session = Objects.requireNonNull(actor.session(), "only a scenario of sessions has permutations");
            List<Session.Step> chosen = new ArrayList<>();
            for (String step : permutation.steps()) {
                if (actor.name().equals(sessionOf.get(step))) {
                    chosen.add(session.steps().stream().filter(s -> step.equals(s.name())).findFirst().orElseThrow());
                }
            }
            if (!chosen.isEmpty() || !session.setup().isEmpty()) {
                Session part = session.permuted(chosen);
                permuted.add(new Actor(actor.name(), part::run, part));
            }
        }
        return new Scenario(name + " [" + permutation + "]", setup, permuted, invariants, expectations, List.of());
    }

    /**
     * The schedule of {@code permutation} in {@link #permuted}'s scenario: every session's setup first,
     * session by session in declaration order (as isolationtester runs them), then one decision per
     * step, each written {@code session:step} so that a replay checks it sends the step named.
     */
    public Schedule scheduleOf(Permutation permutation) {
        Map<String, String> sessionOf = sessionOfStep(name, actors);
        List<String> decisions = new ArrayList<>();
        for (Actor actor : actors) {
            if (actor.session() != null) {
                actor.session().setup().forEach(statement -> decisions.add(actor.name()));
            }
        }
        for (String step : permutation.steps()) {
            decisions.add(sessionOf.get(step) + Schedule.STEP_SEPARATOR + step);
        }
        return new Schedule(decisions);
    }

    public List<String> actorNames() {
        return actors.stream().map(Actor::name).toList();
    }

    /** Builds a scenario; each call returns this builder, and {@link #build} checks the whole. */
    public static final class Builder {
        private final String name;
        private final List<Setup> setup = new ArrayList<>();
        private final List<Actor> actors = new ArrayList<>();
        private final List<Invariant> invariants = new ArrayList<>();
        private final List<Expectation> expectations = new ArrayList<>();
        private final List<Permutation> permutations = new ArrayList<>();

        Builder(String name) {
            if (Objects.requireNonNull(name, "scenario name must not be null").isBlank()) {
                throw new IllegalArgumentException("scenario name must not be blank");
            }
            this.name = name;
        }

        /** Java setup, run before every schedule; it must leave the same state whatever the previous schedule did. */
        public Builder setup(Setup step) {
            setup.add(Objects.requireNonNull(step, "setup"));
            return this;
        }

        /** SQL setup, run in order before every schedule. */
        public Builder setupSql(String... statements) {
            for (String sql : statements) {
                Objects.requireNonNull(sql, "setup statement");
                setup.add(connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(sql);
                    }
                });
            }
            return this;
        }

        /** An actor whose body receives its own DataSource. */
        public Builder actor(String actorName, Actor.Body body) {
            actors.add(new Actor(actorName, body, null));
            return this;
        }

        /** An isolationtester-style actor: a list of statements with expected results. */
        public Builder session(String actorName, Consumer<Session.Builder> steps) {
            Session.Builder builder = new Session.Builder();
            steps.accept(builder);
            Session session = builder.build();
            actors.add(new Actor(actorName, session::run, session));
            return this;
        }

        /** Holds when {@code query} returns no rows; checked after every step and at the end. */
        public Builder invariant(String description, String query) {
            invariants.add(new Invariant.Sql(description, query, false));
            return this;
        }

        /** Holds when {@code probe} returns true; checked after every step and at the end. */
        public Builder invariant(String description, Invariant.Probe probe) {
            invariants.add(new Invariant.Check(description, probe, false));
            return this;
        }

        /** Holds when {@code query} returns no rows; checked once, when every actor has finished. */
        public Builder finalInvariant(String description, String query) {
            invariants.add(new Invariant.Sql(description, query, true));
            return this;
        }

        /** Holds when {@code probe} returns true; checked once, when every actor has finished. */
        public Builder finalInvariant(String description, Invariant.Probe probe) {
            invariants.add(new Invariant.Check(description, probe, true));
            return this;
        }

        /** What the actors' outcomes must satisfy once all have finished. */
        public Builder expect(String description, Predicate<Outcomes> test) {
            Objects.requireNonNull(test, "test");
            expectations.add(new Expectation(description, (outcomes, observer) -> test.test(outcomes)));
            return this;
        }

        /**
         * What the outcomes and the final state must satisfy together once all actors have finished,
         * e.g. that each actor's answer is what the database holds. Checked after the final invariants,
         * in declaration order with {@link #expect}.
         */
        public Builder finalCheck(String description, Expectation.Check check) {
            expectations.add(new Expectation(description, check));
            return this;
        }

        /**
         * An order to run named session steps in, isolationtester's {@code permutation}: step names
         * separated by white space (e.g. {@code "s1as s2as s1ae s2ae s1c s2c"}). A step may be left out
         * (it is not run) or named twice. Every actor must be a session; the harness runs each
         * permutation with {@code RaceHarness.permutations}.
         */
        public Builder permutation(String steps) {
            permutations.add(Permutation.parse(steps));
            return this;
        }

        public Scenario build() {
            return new Scenario(name, setup, actors, invariants, expectations, permutations);
        }
    }
}
