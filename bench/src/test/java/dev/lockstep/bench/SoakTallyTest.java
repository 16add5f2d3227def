package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.core.AlreadyActiveException;
import dev.lockstep.core.ContentionException;
import dev.lockstep.core.DatabaseException;
import dev.lockstep.core.RunStatus;
import org.junit.jupiter.api.Test;

class SoakTallyTest {

    @Test
    void aTypedRefusalIsAnOutcome() {
        assertThat(SoakTally.isUnexpected(new AlreadyActiveException(0, "k", 7, RunStatus.RUNNING, "worker-1", false))).isFalse();
    }

    @Test
    void aDeadlockSurfacingAsAnErrorFailsTheSoakWhetherRetriedOrNot() {
        assertThat(SoakTally.isUnexpected(new ContentionException("start", 3, "k", 8, "40P01"))).isTrue();
        assertThat(SoakTally.isUnexpected(new DatabaseException("start failed", "40P01", null))).isTrue();
    }

    @Test
    void anythingUntypedFailsTheSoak() {
        assertThat(SoakTally.isUnexpected(new IllegalStateException("bug"))).isTrue();
    }
}
