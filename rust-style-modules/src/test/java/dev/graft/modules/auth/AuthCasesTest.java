package dev.graft.modules.auth;

import dev.graft.modules.testing.LegacyCases;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** legacy-scripts/auth/cases run on the Java stage (phase level, see {@link LegacyCases}). */
class AuthCasesTest {

    @TestFactory
    Stream<DynamicTest> legacyCases() {
        return LegacyCases.of("auth", List.of(new AuthStage()));
    }
}
