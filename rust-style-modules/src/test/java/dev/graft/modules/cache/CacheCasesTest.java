package dev.graft.modules.cache;

import dev.graft.modules.testing.LegacyCases;
import dev.graft.modules.testing.P1Stages;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** legacy-scripts/cache/cases on the Java stage, at phase level with the other ported stages of its cases (cases that need a module not given are skipped). */
class CacheCasesTest {

    @TestFactory
    Stream<DynamicTest> legacyCases() {
        return LegacyCases.of("cache", P1Stages.pipeline());
    }
}
