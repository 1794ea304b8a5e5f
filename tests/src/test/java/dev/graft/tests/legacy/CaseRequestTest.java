package dev.graft.tests.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.tests.harness.Header;
import dev.graft.tests.harness.RawRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CaseRequestTest {

    @Test
    void addsHostLengthAndCloseOnlyWhenTheCaseLeavesThemOut() {
        RawRequest raw = new CaseRequest("POST", "/p", List.of(new Header("X-A", "1")), Optional.of("héllo"))
                .toRaw("waf-001.test");
        assertThat(raw.headers()).containsExactly(
                new Header("Host", "waf-001.test"), new Header("X-A", "1"),
                new Header("Content-Length", "6"), new Header("Connection", "close"));
        assertThat(new String(raw.body().orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("héllo");
    }

    @Test
    void keepsWhatTheCaseSetsWhateverItsCase() {
        List<Header> given = List.of(new Header("HOST", "WAF-001.TEST:80"), new Header("connection", "keep-alive"),
                new Header("content-length", "3"));
        RawRequest raw = new CaseRequest("PUT", "/p", given, Optional.of("abc")).toRaw("waf-001.test");
        assertThat(raw.headers()).isEqualTo(given);
    }

    @Test
    void noBodyNoLength() {
        RawRequest raw = new CaseRequest("GET", "/", List.of(), Optional.empty()).toRaw("h.test");
        assertThat(raw.has("Content-Length")).isFalse();
        assertThat(raw.body()).isEmpty();
    }
}
