package dev.lockstep.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/**
 * lock-core is a named module that exports its API package and nothing under internal, and opens only the
 * folders of its shipped DDL and Liquibase changelogs, which migration tools read from the jar.
 */
class ModuleTest {

    @Test
    void onlyTheApiPackageIsExportedAndOnlyTheSchemaResourcesAreOpened() {
        // the tests run on the module path, inside lock-core's module, so its descriptor is the real one
        ModuleDescriptor module = Coordinator.class.getModule().getDescriptor();

        assertThat(module).as("lock-core's module descriptor").isNotNull();
        assertThat(module.name()).isEqualTo("dev.lockstep.core");
        assertThat(module.exports()).extracting(ModuleDescriptor.Exports::source).containsExactly("dev.lockstep.core");
        assertThat(module.exports()).allSatisfy(export -> assertThat(export.isQualified()).isFalse());
        assertThat(module.opens()).extracting(ModuleDescriptor.Opens::source).containsExactlyInAnyOrder("dev.lockstep.db.changelog",
                "dev.lockstep.core.schema.postgresql", "dev.lockstep.core.schema.sqlite", "dev.lockstep.core.schema.mariadb");
        assertThat(module.opens()).allSatisfy(open -> assertThat(open.isQualified()).isFalse());
        assertThat(module.packages()).contains("dev.lockstep.core.internal", "dev.lockstep.core.internal.strategy");
    }
}
