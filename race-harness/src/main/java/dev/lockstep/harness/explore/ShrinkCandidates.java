package dev.lockstep.harness.explore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The schedules the {@link Shrinker} tries in place of one failing schedule, most promising first.
 *
 * <ol>
 *   <li>every proper prefix (the default continuation fills the rest when it runs);
 *   <li>the schedule without one decision;
 *   <li>one block (a maximal run of decisions by one actor) moved one position earlier or later, or
 *       swapped with the block before or after it;
 *   <li>two blocks of the same actor merged, the later one moved up to the earlier, or the earlier
 *       down to the later.
 * </ol>
 *
 * <p>Duplicates and the schedule itself are dropped; the rest is sorted, stably, by the candidate's
 * own context switches, then its length: a cheap guess at the preemptions it will run with.
 */
final class ShrinkCandidates {

    private ShrinkCandidates() {}

    /** A maximal run of decisions by one actor: {@code schedule[start..end)}. */
    private record Block(int start, int end, String actor) {}

    static List<List<String>> of(List<String> schedule) {
        Set<List<String>> candidates = new LinkedHashSet<>();
        for (int length = 0; length < schedule.size(); length++) {
            candidates.add(List.copyOf(schedule.subList(0, length)));
        }
        for (int i = 0; i < schedule.size(); i++) {
            List<String> shorter = new ArrayList<>(schedule);
            shorter.remove(i);
            candidates.add(List.copyOf(shorter));
        }
        List<Block> blocks = blocks(schedule);
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            if (b > 0) {
                Block before = blocks.get(b - 1);
                candidates.add(move(schedule, block, block.start() - 1));
                candidates.add(move(schedule, block, before.start()));
            }
            if (b + 1 < blocks.size()) {
                Block after = blocks.get(b + 1);
                candidates.add(move(schedule, block, block.start() + 1));
                candidates.add(move(schedule, block, block.start() + (after.end() - after.start())));
            }
            for (int later = b + 2; later < blocks.size(); later++) {
                Block other = blocks.get(later);
                if (other.actor().equals(block.actor())) {
                    candidates.add(move(schedule, other, block.end()));
                    candidates.add(move(schedule, block, other.start() - (block.end() - block.start())));
                }
            }
        }
        candidates.remove(schedule);
        List<List<String>> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.<List<String>>comparingInt(ShrinkCandidates::switches).thenComparingInt(List::size));
        return sorted;
    }

    private static List<Block> blocks(List<String> schedule) {
        List<Block> blocks = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= schedule.size(); i++) {
            if (i == schedule.size() || !schedule.get(i).equals(schedule.get(start))) {
                blocks.add(new Block(start, i, schedule.get(start)));
                start = i;
            }
        }
        return blocks;
    }

    /** {@code schedule} with {@code block} cut out and put back so that it starts at {@code newStart}. */
    private static List<String> move(List<String> schedule, Block block, int newStart) {
        List<String> rest = new ArrayList<>(schedule.subList(0, block.start()));
        rest.addAll(schedule.subList(block.end(), schedule.size()));
        rest.addAll(newStart, schedule.subList(block.start(), block.end()));
        return List.copyOf(rest);
    }

    static int switches(List<String> schedule) {
        int switches = 0;
        for (int i = 1; i < schedule.size(); i++) {
            if (!schedule.get(i).equals(schedule.get(i - 1))) {
                switches++;
            }
        }
        return switches;
    }
}
