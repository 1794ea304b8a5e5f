package dev.graft.modules.waf;

import dev.graft.modules.testing.LegacyCases;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** legacy-scripts/waf/cases run on the Java stage (phase level, see {@link LegacyCases}). */
class WafCasesTest {

    @TestFactory
    Stream<DynamicTest> legacyCases() {
        return LegacyCases.of("waf", List.of(new WafStage()));
    }
}
