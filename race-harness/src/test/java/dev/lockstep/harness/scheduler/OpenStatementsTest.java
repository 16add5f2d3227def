package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenStatementsTest {

    /** Something closeable that notes when it is closed, and fails if told to. */
    private record Resource(String name, List<String> log, boolean fails) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            log.add(name);
            if (fails) {
                throw new SQLException(name + " would not close");
            }
        }
    }

    @Test
    void whatIsLeftIsClosedNewestFirstAndForgotten() {
        List<String> log = new ArrayList<>();
        OpenStatements open = new OpenStatements();
        Resource first = new Resource("first", log, false);
        Resource closedByTheActor = new Resource("closed by the actor", log, false);
        open.add(first);
        open.add(closedByTheActor);
        open.add(new Resource("last", log, false));
        open.remove(closedByTheActor);

        assertThat(open.size()).isEqualTo(2);
        assertThat((Throwable) open.closeAll()).isNull(); // SQLException is Iterable too
        assertThat(log).containsExactly("last", "first");
        assertThat(open.size()).isZero();
        assertThat((Throwable) open.closeAll()).isNull();
        assertThat(log).containsExactly("last", "first");
    }

    @Test
    void aFailureDoesNotStopTheRestAndTheFirstIsReportedWithTheOthers() {
        List<String> log = new ArrayList<>();
        OpenStatements open = new OpenStatements();
        open.add(new Resource("a", log, true));
        open.add(new Resource("b", log, false));
        open.add(new Resource("c", log, true));

        SQLException failure = open.closeAll();

        assertThat(log).containsExactly("c", "b", "a");
        assertThat((Throwable) failure).hasMessage("c would not close");
        assertThat(failure.getSuppressed()).extracting(Throwable::getMessage).containsExactly("a would not close");
        assertThat(open.size()).isZero();
    }
}
