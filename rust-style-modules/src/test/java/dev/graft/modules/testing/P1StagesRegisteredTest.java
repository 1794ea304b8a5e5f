package dev.graft.modules.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Phase;
import dev.graft.bridge.StageModule;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** normalize, redirects, headers, cache and accesslog are found by ServiceLoader with the Lua handlers' phases. */
class P1StagesRegisteredTest {

    @Test
    void theHostFindsThemWithTheirPhases() {
        @SuppressWarnings("rawtypes")
        Map<String, Set<Phase>> found = ServiceLoader.load(StageModule.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(StageModule::name, m -> Set.copyOf(m.phases())));
        assertThat(found).containsEntry("normalize", Set.of(Phase.REWRITE))
                .containsEntry("redirects", Set.of(Phase.REWRITE))
                .containsEntry("headers", Set.of(Phase.REWRITE, Phase.HEADER_FILTER))
                .containsEntry("cache", Set.of(Phase.REWRITE, Phase.HEADER_FILTER))
                .containsEntry("accesslog", Set.of(Phase.LOG));
    }
}
