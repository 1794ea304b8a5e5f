package dev.graft.modules.accesslog;

import dev.graft.modules.testing.LegacyCases;
import dev.graft.modules.testing.P1Stages;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** legacy-scripts/accesslog/cases on the Java stage, at phase level with the other ported stages of its cases (cases that need a module not given are skipped). */
class AccesslogCasesTest {

    @TestFactory
    Stream<DynamicTest> legacyCases() {
        // the driver answers an unknown host before any module runs
        List<String> notTheModules = List.of("011-");
        return LegacyCases.of("accesslog", P1Stages.pipeline())
                .filter(t -> notTheModules.stream().noneMatch(t.getDisplayName()::startsWith));
    }
}
