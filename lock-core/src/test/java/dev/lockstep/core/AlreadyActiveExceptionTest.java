package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** A refusal is an answer: no stack trace, and a message written from its fields when it is read. */
class AlreadyActiveExceptionTest {

    @Test
    void theMessageNamesTheKeyTheHolderAndWhatToDo() {
        AlreadyActiveException refusedBegin = new AlreadyActiveException(0, "repo/a", 41, RunStatus.RUNNING, "worker-1", false);
        AlreadyActiveException refusedStart = new AlreadyActiveException(7, "repo/a", 41, RunStatus.PAUSED, null, true);

        assertThat(refusedBegin.getMessage()).isEqualTo("no run was created: key 'repo/a' is held by run 41 (running, owner"
                + " 'worker-1'). Wait for run 41 to finish, cancel it, or start with ConflictPolicy.CANCEL_EXISTING.");
        assertThat(refusedStart.getMessage()).isEqualTo("run 7 was not started and is now cancelled: key 'repo/a' is held by"
                + " run 41 (paused). Wait for run 41 to finish, cancel it, or start with ConflictPolicy.CANCEL_EXISTING.");
        assertThat(refusedBegin).hasToString(AlreadyActiveException.class.getName() + ": " + refusedBegin.getMessage());
    }

    @Test
    void itRecordsNoStackTrace() {
        assertThat(new AlreadyActiveException(0, "k", 1, RunStatus.RUNNING, "o", false).getStackTrace()).isEmpty();
    }

    @Test
    void itKeepsItsMessageThroughSerialization() throws Exception {
        AlreadyActiveException refused = new AlreadyActiveException(3, "repo/b", 2, RunStatus.RUNNING, "w", false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(refused);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            AlreadyActiveException read = (AlreadyActiveException) in.readObject();
            assertThat(read.getMessage()).isEqualTo(refused.getMessage());
            assertThat(read.holderId()).isEqualTo(2);
        }
    }
}
