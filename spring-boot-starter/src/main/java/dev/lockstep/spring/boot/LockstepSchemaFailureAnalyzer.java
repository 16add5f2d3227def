package dev.lockstep.spring.boot;

import dev.lockstep.core.SchemaMismatchException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says, when startup fails on lockstep's schema, the one property or command that fixes it. */
class LockstepSchemaFailureAnalyzer extends AbstractFailureAnalyzer<SchemaMismatchException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SchemaMismatchException cause) {
        return new FailureAnalysis(cause.getMessage(), action(cause), cause);
    }

    static String action(SchemaMismatchException cause) {
        return "Set lockstep.schema.initialize-mode=always to create what is missing at startup, or add the DDL that "
                + "`lockstep schema --db " + cause.database().name().toLowerCase(java.util.Locale.ROOT) + " --strategy "
                + cause.strategy().label() + cause.tables().commandLineOptions() + "` prints to your migrations.";
    }
}
