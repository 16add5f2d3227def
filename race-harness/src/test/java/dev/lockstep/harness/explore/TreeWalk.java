package dev.lockstep.harness.explore;

import java.util.ArrayList;
import java.util.List;

/**
 * Every complete run of a deterministic runner, found the plain way and independently of the
 * explorers: walk the tree of decisions one node at a time, running each prefix (then always the
 * first ready actor) to learn who is ready after it.
 */
final class TreeWalk {

    private TreeWalk() {}

    static List<Execution> leaves(ScheduleRunner runner) {
        List<Execution> leaves = new ArrayList<>();
        walk(runner, List.of(), leaves);
        return leaves;
    }

    private static void walk(ScheduleRunner runner, List<String> prefix, List<Execution> leaves) {
        Execution run = runner.run((step, ready, previous) -> step < prefix.size() ? prefix.get(step) : ready.get(0));
        if (run.schedule().size() == prefix.size()) {
            leaves.add(run);
            return;
        }
        for (String actor : run.readyAt().get(prefix.size())) {
            List<String> longer = new ArrayList<>(prefix);
            longer.add(actor);
            walk(runner, longer, leaves);
        }
    }
}
