package dev.lockstep.core;

import java.util.Objects;

/** What a start or begin with a {@link ConflictPolicy} came to. */
public sealed interface StartResult {

    /** The run now holds its key; write to it with this claim. */
    record Started(Claim claim) implements StartResult {
        public Started {
            Objects.requireNonNull(claim, "claim");
        }
    }

    /** Another run held the key and {@link ConflictPolicy#USE_EXISTING} was asked: this is that run. */
    record Existing(Run holder) implements StartResult {
        public Existing {
            Objects.requireNonNull(holder, "holder");
        }
    }
}
