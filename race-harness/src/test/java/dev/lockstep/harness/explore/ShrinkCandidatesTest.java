package dev.lockstep.harness.explore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShrinkCandidatesTest {

    private static List<String> s(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split(" "));
    }

    @Test
    void prefixes_removals_and_block_moves_fewest_switches_first() {
        assertThat(ShrinkCandidates.of(s("A A B"))).containsExactly(
                s(""), s("A"), s("A A"), s("A B"), s("B A A"), s("A B A"));
    }

    @Test
    void blocks_of_one_actor_are_merged_both_ways() {
        List<List<String>> candidates = ShrinkCandidates.of(s("A B A"));

        assertThat(candidates).contains(s("A A B"), s("B A A"));
        assertThat(candidates).doesNotContain(s("A B A"));
    }

    @Test
    void a_block_moves_one_position_or_one_block() {
        List<List<String>> candidates = ShrinkCandidates.of(s("A B B C C"));

        assertThat(candidates).contains(
                s("B A B C C"),  // A one position later
                s("B B A C C"),  // A past the B block
                s("A C B B C"),  // B block one position later
                s("A C C B B"),  // B block past the C block
                s("A B C C B"),  // C block one position earlier
                s("A C C B B"));
        assertThat(candidates).doesNotHaveDuplicates();
    }
}
