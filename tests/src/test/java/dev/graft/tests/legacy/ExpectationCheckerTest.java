package dev.graft.tests.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.tests.harness.Header;
import dev.graft.tests.harness.RawResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ExpectationCheckerTest {

    private static final String ECHO = """
            {"server": "origin-a", "method": "GET", "path": "/x?a=1",
             "headers": {"host": "h.test", "x-rep": ["1", "2"]}, "body": "", "body_bytes": 0}""";

    private static RawResponse response(int status, String body, Header... headers) {
        return new RawResponse(status, List.of(headers), body.getBytes(StandardCharsets.UTF_8));
    }

    private static CaseExpectation expect(OptionalInt status, Map<String, HeaderExpectation> headers,
            Optional<String> body, List<String> contains, Optional<ObjectNode> origin) {
        return new CaseExpectation(status, headers, body, contains, origin);
    }

    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) new JsonMapper().readTree(s);
    }

    @Test
    void passesWhenEveryGivenPartMatches() throws Exception {
        CaseExpectation e = expect(OptionalInt.of(200),
                Map.of("content-type", new HeaderExpectation.Value("application/json"),
                        "X-Absent", new HeaderExpectation.Absent()),
                Optional.empty(), List.of("origin-a"),
                Optional.of(json("{\"path\": \"/x?a=1\", \"headers\": {\"x-rep\": [\"1\", \"2\"], \"x-none\": null}}")));
        assertThat(ExpectationChecker.check(e, response(200, ECHO, new Header("Content-Type", "application/json"))))
                .isEmpty();
    }

    @Test
    void namesEveryDifference() throws Exception {
        CaseExpectation e = expect(OptionalInt.of(403),
                Map.of("Server", new HeaderExpectation.Absent(), "X-Missing", new HeaderExpectation.Value("1")),
                Optional.of("blocked"), List.of("denied"),
                Optional.of(json("{\"server\": \"origin-b\", \"headers\": {\"host\": \"other.test\", \"x-rep\": \"1\"}}")));
        List<String> diffs = ExpectationChecker.check(e, response(200, ECHO, new Header("Server", "nginx")));
        assertThat(diffs).containsExactlyInAnyOrder(
                "status: 200 (expected: 403)",
                "header Server: \"nginx\" (expected: absent)",
                "header X-Missing: absent (expected: \"1\")",
                "body: \"" + ECHO.replace("\n", "\\n") + "\" (expected: \"blocked\")",
                "body: \"" + ECHO.replace("\n", "\\n") + "\" (expected: to contain \"denied\")",
                "origin server: \"origin-a\" (expected: \"origin-b\")",
                "origin header host: \"h.test\" (expected: \"other.test\")",
                "origin header x-rep: [\"1\",\"2\"] (expected: \"1\")");
    }

    @Test
    void repeatedHeaderMatchesItsJoinedValuesOrTheExactList() {
        RawResponse r = response(200, "", new Header("Vary", "Origin"), new Header("vary", "Accept"));
        assertThat(ExpectationChecker.check(expect(OptionalInt.empty(),
                Map.of("Vary", new HeaderExpectation.Value("Origin, Accept")), Optional.empty(), List.of(), Optional.empty()), r))
                .isEmpty();
        assertThat(ExpectationChecker.check(expect(OptionalInt.empty(),
                Map.of("Vary", new HeaderExpectation.Values(List.of("Accept", "Origin"))), Optional.empty(), List.of(),
                Optional.empty()), r))
                .containsExactly("header Vary: [\"Origin\", \"Accept\"] (expected: [\"Accept\", \"Origin\"])");
    }

    @Test
    void originExpectationOnANonEchoBodySaysSo() throws Exception {
        CaseExpectation e = expect(OptionalInt.empty(), Map.of(), Optional.empty(), List.of(),
                Optional.of(json("{\"method\": \"GET\"}")));
        assertThat(ExpectationChecker.check(e, response(403, "Forbidden\n")))
                .containsExactly("origin: the response is not an echo origin's JSON: \"Forbidden\\n\"");
    }
}
