package dev.graft.modules.iprules;

import dev.graft.modules.testing.LegacyCases;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** legacy-scripts/ip_rules/cases run on the Java stage (phase level, see {@link LegacyCases}). */
class IpRulesCasesTest {

    @TestFactory
    Stream<DynamicTest> legacyCases() {
        return LegacyCases.of("ip_rules", List.of(new IpRulesStage()));
    }
}
