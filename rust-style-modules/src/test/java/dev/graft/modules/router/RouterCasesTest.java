package dev.graft.modules.router;

import dev.graft.modules.auth.AuthStage;
import dev.graft.modules.cors.CorsStage;
import dev.graft.modules.iprules.IpRulesStage;
import dev.graft.modules.testing.LegacyCases;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** legacy-scripts/router/cases on the Java stages, in pipeline order (ip_rules, auth, cors, router). */
class RouterCasesTest {

    @TestFactory
    Stream<DynamicTest> legacyCases() {
        return LegacyCases.of("router", List.of(new IpRulesStage(), new AuthStage(), new CorsStage(), new RouterStage()));
    }
}
