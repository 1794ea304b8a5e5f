package dev.graft.modules.headers;

import dev.graft.modules.testing.LegacyCases;
import dev.graft.modules.testing.P1Stages;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** legacy-scripts/headers/cases on the Java stage, at phase level with the other ported stages of its cases (cases that need a module not given are skipped). */
class HeadersCasesTest {

    @TestFactory
    Stream<DynamicTest> legacyCases() {
        // nginx's parser refuses 040's target before the pipeline runs: not the module's doing
        return LegacyCases.of("headers", P1Stages.pipeline())
                .filter(t -> !t.getDisplayName().startsWith("040-"));
    }
}
