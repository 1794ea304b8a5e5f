package dev.graft.tests.crosscheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.tests.harness.Header;
import dev.graft.tests.harness.RawRequest;
import dev.graft.tests.legacy.CaseExpectation;
import dev.graft.tests.legacy.CaseRequest;
import dev.graft.tests.legacy.CaseStep;
import dev.graft.tests.legacy.LegacyCase;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RequestGeneratorTest {

    private static final List<LegacyCase> CASES = List.of(
            legacyCase("waf-001-a", "/search?q=1"), legacyCase("auth-002-b", "/private"));

    private static LegacyCase legacyCase(String id, String path) {
        CaseStep step = new CaseStep(new CaseRequest("GET", path, List.of(new Header("X-Api-Key", "k-" + id)), Optional.empty()),
                new CaseExpectation(OptionalInt.empty(), Map.of(), Optional.empty(), List.of(), Optional.empty()));
        return new LegacyCase(id, id.substring(0, id.indexOf('-')), Path.of(id + ".json"), id,
                JsonNodeFactory.instance.objectNode(), List.of(step));
    }

    private static List<String> described(long seed, int n) {
        RequestGenerator g = new RequestGenerator(seed, CASES);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(g.next().describe());
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameRequests() {
        assertThat(described(7, 200)).isEqualTo(described(7, 200));
        assertThat(described(7, 200)).isNotEqualTo(described(8, 200));
    }

    @Test
    void requestsReachTheCaseCustomersAndUseTheirHeaders() {
        RequestGenerator g = new RequestGenerator(1, CASES);
        List<RawRequest> requests = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            requests.add(g.next());
        }
        assertThat(requests).anySatisfy(r -> assertThat(r.headers()).contains(new Header("Host", "waf-001-a.test")));
        assertThat(requests).anySatisfy(r -> assertThat(r.headers()).contains(new Header("Host", "auth-002-b.test")));
        assertThat(requests).anySatisfy(r -> assertThat(r.headers()).contains(new Header("X-Api-Key", "k-waf-001-a")));
        assertThat(requests).anySatisfy(r -> assertThat(r.target()).contains("%2e"));
        assertThat(requests).anySatisfy(r -> assertThat(r.target()).contains("/.."));
        assertThat(requests).anySatisfy(r -> assertThat(r.method()).isEqualTo("get"));
        assertThat(requests).allSatisfy(r -> assertThat(r.has("Connection")).isTrue());
        // a body always comes with its framing, so both proxies read the same request
        assertThat(requests).filteredOn(r -> r.body().isPresent())
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.has("Content-Length") || r.has("Transfer-Encoding")).isTrue());
        // and the edges of the protocol are there
        assertThat(requests).anySatisfy(r -> assertThat(r.version()).isEqualTo("HTTP/1.0"));
        assertThat(requests).anySatisfy(r -> assertThat(r.target()).startsWith("http://"));
        assertThat(requests).anySatisfy(r -> assertThat(r.headers()).contains(new Header("Transfer-Encoding", "chunked")));
    }
}
