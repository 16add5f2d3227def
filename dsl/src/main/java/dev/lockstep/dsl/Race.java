package dev.lockstep.dsl;

/**
 * The entry point of the dsl: describe a race as a {@link Scenario}, then hand it to the race
 * harness to run its schedules on a real database.
 *
 * <pre>{@code
 * Scenario startStart = Race.scenario("start-start")
 *     .setupSql("DELETE FROM lockstep_run")
 *     .actor("A", ds -> coordinator(ds).begin("repo", "build", "A"))
 *     .actor("B", ds -> coordinator(ds).begin("repo", "build", "B"))
 *     .invariant("at most one active run per key",
 *         "SELECT run_key FROM lockstep_run WHERE status IN ('running', 'paused') GROUP BY run_key HAVING count(*) > 1")
 *     .expect("exactly one actor starts", outcomes -> outcomes.returned(Claim.class) == 1)
 *     .build();
 * }</pre>
 */
public final class Race {

    private Race() {}

    public static Scenario.Builder scenario(String name) {
        return new Scenario.Builder(name);
    }

    /** A schedule from its one-line text form, e.g. {@code "A A B A B B"}. */
    public static Schedule schedule(String text) {
        return Schedule.parse(text);
    }
}
