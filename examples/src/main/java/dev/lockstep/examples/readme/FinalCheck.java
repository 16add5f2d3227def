package dev.lockstep.examples.readme;

import dev.lockstep.dsl.Actor;
import dev.lockstep.dsl.Race;
import dev.lockstep.dsl.Scenario;
import java.sql.ResultSet;
import java.sql.Statement;

/** README, "Race harness": a final check over the actors' answers and the state they left. */
final class FinalCheck {

    private FinalCheck() {}

    static Scenario snippet(Actor.Body cancel, Actor.Body complete) {
        Scenario cancelAndComplete = Race.scenario("cancel and complete")
            .setupSql("DELETE FROM job", "INSERT INTO job (id, status) VALUES (1, 'running')")
            .actor("C", cancel)       // each answers what it did ("cancelled", "completed") or "too late"
            .actor("K", complete)
            .finalCheck("each actor's answer is the job's final status", (outcomes, observer) -> {
                try (Statement s = observer.createStatement();
                     ResultSet rs = s.executeQuery("SELECT status FROM job WHERE id = 1")) {
                    rs.next();
                    return outcomes.returned(rs.getString(1)) == 1 && outcomes.returned("too late") == 1;
                }
            })
            .build();
        return cancelAndComplete;
    }
}
