package dev.lockstep.dsl;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A race, described: a setup that builds a clean state before every schedule, the actors, the
 * invariants that must hold, and the outcomes expected. Immutable; make one with {@link Race#scenario}.
 */
public record Scenario(String name, List<Setup> setup, List<Actor> actors, List<Invariant> invariants, List<Expectation> expectations) {

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
        if (actors.isEmpty()) {
            throw new IllegalArgumentException("scenario '" + name + "' has no actors");
        }
        Set<String> names = new HashSet<>();
        for (Actor actor : actors) {
            if (!names.add(actor.name())) {
                throw new IllegalArgumentException("scenario '" + name + "' has two actors named '" + actor.name() + "'");
            }
        }
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

        public Scenario build() {
            return new Scenario(name, setup, actors, invariants, expectations);
        }
    }
}
