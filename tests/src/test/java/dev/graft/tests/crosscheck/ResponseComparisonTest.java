package dev.graft.tests.crosscheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.tests.harness.ClientResult;
import dev.graft.tests.harness.Header;
import dev.graft.tests.harness.RawResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseComparisonTest {

    private static ClientResult answer(int status, String body, Header... headers) {
        return new ClientResult.Answered(new RawResponse(status, List.of(headers), body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String echo(String requestId, String xA) {
        return "{\"server\":\"origin-a\",\"method\":\"GET\",\"path\":\"/\",\"headers\":{\"x-request-id\":\""
                + requestId + "\",\"x-a\":" + xA + "},\"body\":\"\",\"body_bytes\":0}";
    }

    @Test
    void theExpectedDifferencesDoNotCount() {
        assertThat(ResponseComparison.compare(
                answer(403, "Blocked. Request ID: 0123456789abcdef0123456789abcdef\n<hr><center>nginx/1.22.1</center>",
                        new Header("Date", "Mon"), new Header("Server", "nginx/1.22.1"), new Header("Content-Length", "50")),
                answer(403, "Blocked. Request ID: fedcba9876543210fedcba9876543210\n<hr><center>graft</center>",
                        new Header("date", "Tue"), new Header("Transfer-Encoding", "chunked"))))
                .isEmpty();
        assertThat(ResponseComparison.compare(answer(200, echo("aa", "\"1\"")), answer(200, echo("bb", "\"1\""))))
                .isEmpty();
    }

    @Test
    void everythingElseIsReportedWithBothSides() {
        assertThat(ResponseComparison.compare(
                answer(200, "a", new Header("X-Waf", "1"), new Header("Vary", "Origin"), new Header("Vary", "Accept")),
                answer(200, "b", new Header("Vary", "Accept"), new Header("vary", "Origin"))))
                .containsExactly(
                        "header vary: nginx gave [Origin, Accept], graft gave [Accept, Origin]",
                        "header x-waf: nginx gave \"1\", graft gave none",
                        "body: nginx gave \"a\", graft gave \"b\"");
    }

    @Test
    void secondsOnTheClockMayDifferByOneOnly() {
        assertThat(ResponseComparison.compare(answer(429, "", new Header("Retry-After", "2977")),
                answer(429, "", new Header("Retry-After", "2976")))).isEmpty();
        assertThat(ResponseComparison.compare(answer(200, "", new Header("RateLimit-Reset", "2977")),
                answer(200, "", new Header("RateLimit-Reset", "2975"))))
                .containsExactly("header ratelimit-reset: nginx gave \"2977\", graft gave \"2975\"");
    }

    @Test
    void aDifferentStatusIsTheOnlyDifferenceReported() {
        assertThat(ResponseComparison.compare(answer(405, "a", new Header("X-A", "1")), answer(200, "b")))
                .containsExactly("status: nginx gave 405, graft gave 200");
    }

    @Test
    void echoBodiesCompareFieldByField() {
        assertThat(ResponseComparison.compare(answer(200, echo("aa", "[\"1\",\"2\"]")), answer(200, echo("bb", "\"1\""))))
                .containsExactly("origin header x-a: nginx sent [\"1\",\"2\"], graft sent \"1\"");
    }

    @Test
    void aMissingAnswerIsADifferenceOnlyOnOneSide() {
        ClientResult none = new ClientResult.NoAnswer("reset");
        assertThat(ResponseComparison.compare(none, none)).isEmpty();
        assertThat(ResponseComparison.compare(answer(400, ""), none))
                .containsExactly("answer: nginx gave 400, graft gave none (reset)");
    }

    @Test
    void aSignatureLineNamingTheRequestIdIsStillTheServersName() {
        String page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>%s</center>\r\n</body>\r\n</html>\r\n";
        assertThat(ResponseComparison.compare(
                answer(502, page.formatted("nginx/1.22.1")),
                answer(502, page.formatted("request id: 0123456789abcdef0123456789abcdef"))))
                .isEmpty();
        assertThat(ResponseComparison.compare(
                answer(502, page.formatted("nginx/1.22.1")),
                answer(502, page.formatted("request id: 0123456789abcdef0123456789abcdef") + "extra")))
                .hasSize(1);
    }

    @Test
    void everyExpectedDifferenceSaysWhy() {
        assertThat(ResponseComparison.EXPECTED_DIFFERENCES).allSatisfy(e -> assertThat(e.reason()).isNotBlank());
    }
}
