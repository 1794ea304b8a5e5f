package dev.graft.modules.ratelimit;

import dev.graft.modules.auth.AuthStage;
import dev.graft.modules.iprules.IpRulesStage;
import dev.graft.modules.testing.LegacyCases;
import dev.graft.modules.waf.WafStage;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * legacy-scripts/ratelimit/cases run on the Java stages in pipeline order (ip_rules, waf,
 * ratelimit, auth), phase level (see {@link LegacyCases}).
 */
class RateLimitCasesTest {

    @TestFactory
    Stream<DynamicTest> legacyCases() {
        return LegacyCases.of("ratelimit", List.of(new IpRulesStage(), new WafStage(), new RateLimitStage(),
                new AuthStage()));
    }
}
