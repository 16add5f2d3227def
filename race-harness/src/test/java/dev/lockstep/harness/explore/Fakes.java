package dev.lockstep.harness.explore;

import static dev.lockstep.harness.explore.FakeRunner.CREATE;

import dev.lockstep.harness.explore.FakeRunner.Op;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fake scenarios the explorer tests share. */
final class Fakes {

    private Fakes() {}

    /** A and B each: take lock L, create, release L. B waits while A holds L, and the other way round. */
    static FakeRunner serialized() {
        Map<String, List<Op>> programs = new LinkedHashMap<>();
        programs.put("A", List.of(new Op.Lock("L"), CREATE, new Op.Unlock("L")));
        programs.put("B", List.of(new Op.Lock("L"), CREATE, new Op.Unlock("L")));
        return FakeRunner.of(programs);
    }

    /** A takes X then Y, B takes Y then X: a deadlock when each holds its first lock. */
    static FakeRunner lockOrder() {
        Map<String, List<Op>> programs = new LinkedHashMap<>();
        programs.put("A", List.of(new Op.Lock("X"), new Op.Lock("Y"), new Op.Unlock("Y"), new Op.Unlock("X")));
        programs.put("B", List.of(new Op.Lock("Y"), new Op.Lock("X"), new Op.Unlock("X"), new Op.Unlock("Y")));
        return FakeRunner.of(programs);
    }

    /** Check-then-act with reads in between: create, read, read, check, read, start. */
    static FakeRunner longCheckThenAct() {
        List<Op> program = List.of(CREATE, FakeRunner.READ, FakeRunner.READ, FakeRunner.CHECK, FakeRunner.READ, FakeRunner.START);
        Map<String, List<Op>> programs = new LinkedHashMap<>();
        programs.put("A", program);
        programs.put("B", program);
        return FakeRunner.of(programs);
    }
}
