package dev.lockstep.dsl;

import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * One concurrent participant: a name and a body that receives a DataSource of its own (every
 * connection it opens is the actor's) and returns a value or throws.
 *
 * @param name a short name without white space, used in schedules and reports (e.g. {@code A})
 * @param body what the actor does
 * @param session the statements of an isolationtester-style session, or null for a free-form body
 */
public record Actor(String name, Body body, Session session) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    /** What an actor does, with the DataSource whose connections are its own. */
    @FunctionalInterface
    public interface Body {
        Object run(DataSource dataSource) throws Exception;
    }

    public Actor {
        checkName(name);
        Objects.requireNonNull(body, "body");
    }

    static String checkName(String name) {
        Objects.requireNonNull(name, "actor name must not be null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("actor name '" + name
                    + "' must be 1 to 32 letters, digits or _ . - (it is written into schedules such as 'A B A:insert')");
        }
        return name;
    }
}
