package dev.graft.modules.normalize;

import dev.graft.modules.testing.LegacyCases;
import dev.graft.modules.testing.P1Stages;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** legacy-scripts/normalize/cases on the Java stage, at phase level with the other ported stages of its cases (cases that need a module not given are skipped). */
class NormalizeCasesTest {

    @TestFactory
    Stream<DynamicTest> legacyCases() {
        // nginx's parser (039) and the driver (unknown hosts: 045, 046) decide these, not the module
        List<String> notTheModules = List.of("039-", "045-", "046-");
        return LegacyCases.of("normalize", P1Stages.pipeline())
                .filter(t -> notTheModules.stream().noneMatch(t.getDisplayName()::startsWith));
    }
}
