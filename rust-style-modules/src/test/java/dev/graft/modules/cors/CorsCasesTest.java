package dev.graft.modules.cors;

import dev.graft.modules.auth.AuthStage;
import dev.graft.modules.testing.LegacyCases;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** legacy-scripts/cors/cases run on the Java stages (auth before cors, as in the pipeline). */
class CorsCasesTest {

    @TestFactory
    Stream<DynamicTest> legacyCases() {
        return LegacyCases.of("cors", List.of(new AuthStage(), new CorsStage()));
    }
}
