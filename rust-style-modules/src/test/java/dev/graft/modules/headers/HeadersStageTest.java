package dev.graft.modules.headers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Outcome;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.modules.testing.FakeExchange;
import dev.graft.modules.testing.FakeExchange.LogLine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeadersStageTest {

    private final HeadersStage stage = new HeadersStage();

    private static HeadersConfig config(Optional<HeaderEdits> request, Optional<HeaderEdits> response) {
        return new HeadersConfig(request, response, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static HeadersConfig security(Object hsts, Object nosniff, Object frame, Object csp, Object referrer,
            Object removeServer) {
        return new HeadersConfig(Optional.empty(), Optional.empty(), Optional.ofNullable(hsts),
                Optional.ofNullable(nosniff), Optional.ofNullable(frame), Optional.ofNullable(csp),
                Optional.ofNullable(referrer), Optional.ofNullable(removeServer));
    }

    private static Optional<HeaderEdits> edits(Object remove, Object set, Object add) {
        return Optional.of(new HeaderEdits(Optional.ofNullable(remove), Optional.ofNullable(set),
                Optional.ofNullable(add)));
    }

    private static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void valuesOfTheWrongShapeAreLoggedAndIgnored() {
        HeadersConfig c = config(edits("X-B", "X-A: 1", null),
                edits(null, obj("X-Ok", "1", "X-Bad", obj("k", "v"), "", "x", "X-Null", null), null));
        assertThat(c.plan().problems().messages()).containsExactly(
                "headers: request.remove: X-B (expected: a list of header names)",
                "headers: request.set: X-A: 1 (expected: an object of header names)",
                "headers: response.set.: x (expected: a string or a list of strings)",
                "headers: response.set.X-Null: userdata: NULL (expected: a string or a list of strings)");
        // an object value is an empty list to ipairs: the header is removed
        FakeExchange x = FakeExchange.get("/").responseHeader("X-Bad", "origin");
        stage.headerFilter(x, c);
        assertThat(x.responseHeaders().lines()).containsExactly("X-Ok: 1");
        assertThat(x.logLines()).hasSize(4).allMatch(l -> l.level() == LogLevel.ERR);
    }

    @Test
    void securityProblemsHaveTheLuaMessages() {
        assertThat(security(obj("max_age", 1.5), null, null, null, null, null).plan().problems().messages())
                .containsExactly("headers: hsts.max_age: 1.5 (expected: whole seconds >= 0)");
        assertThat(security(obj("max_age", -1), null, "ALLOW-FROM https://x.test", null, null, null).plan()
                .problems().messages()).containsExactly(
                        "headers: hsts.max_age: -1 (expected: whole seconds >= 0)",
                        "headers: frame_options: ALLOW-FROM https://x.test (expected: DENY or SAMEORIGIN)");
        assertThat(security("yes", null, false, null, null, null).plan().problems().messages()).containsExactly(
                "headers: hsts: yes (expected: an object or true)",
                "headers: frame_options: false (expected: DENY or SAMEORIGIN)");
    }

    @Test
    void requestEditsRunRemoveThenSetThenAdd() {
        HeadersConfig c = config(edits(List.of("x-debug", "X-Gone"), obj("X-Set", List.of("a", "b"), "X-Empty", "",
                "X-Num", 15), obj("X-Forwarded-For", "10.0.0.1", "X-Gone", List.of("1", "2"))), Optional.empty());
        FakeExchange x = FakeExchange.get("/").requestHeader("X-Debug", "1").requestHeader("X-Gone", "old")
                .requestHeader("X-Empty", "e").requestHeader("X-Forwarded-For", "198.51.100.7");
        assertThat(stage.rewrite(x, c)).isEqualTo(Outcome.proceed());
        // set and add go in sorted order of the lower-cased name
        assertThat(x.requestHeaders().lines()).containsExactly("X-Num: 15", "X-Set: a", "X-Set: b",
                "X-Forwarded-For: 198.51.100.7", "X-Forwarded-For: 10.0.0.1", "X-Gone: 1", "X-Gone: 2");
    }

    @Test
    void addUsesTheHeadersAsTheyWereBeforeTheAdds() {
        // sorted: "X-A" before "x-a"; both start from the request's value, so the second wins
        HeadersConfig c = config(edits(null, null, obj("x-a", "2", "X-A", "1")), Optional.empty());
        FakeExchange x = FakeExchange.get("/").requestHeader("X-A", "0");
        stage.rewrite(x, c);
        assertThat(x.requestHeaders().all("x-a")).containsExactly("0", "2");
    }

    @Test
    void responseEditsAndSecurityHeadersInOrder() {
        HeadersConfig c = new HeadersConfig(Optional.empty(),
                edits(List.of("X-Drop"), obj("Cache-Control", "no-store", "X-Frame-Options", "ALLOWALL"),
                        obj("Set-Cookie", List.of("a=1", "b=2"), "Content-Type", "text/plain")),
                Optional.of(obj("include_subdomains", true, "preload", "no")), Optional.of(true),
                Optional.of("DENY"), Optional.of("default-src 'self'"), Optional.of("no-referrer"), Optional.empty());
        FakeExchange x = FakeExchange.get("/").responseHeader("Content-Type", "application/json")
                .responseHeader("X-Drop", "1").responseHeader("Set-Cookie", "o=0").responseHeader("Server", "nginx")
                .responseHeader("X-Powered-By", "PHP");
        stage.headerFilter(x, c);
        assertThat(x.responseHeaders().lines()).containsExactly(
                "Cache-Control: no-store",
                "Content-Type: text/plain", // nginx holds one Content-Type: the last value stays
                "Set-Cookie: o=0", "Set-Cookie: a=1", "Set-Cookie: b=2",
                "Strict-Transport-Security: max-age=31536000; includeSubDomains; preload",
                "X-Content-Type-Options: nosniff",
                "X-Frame-Options: DENY",
                "Content-Security-Policy: default-src 'self'",
                "Referrer-Policy: no-referrer");
    }

    @Test
    void serverHeadersStayWhenTurnedOff() {
        FakeExchange x = FakeExchange.get("/").responseHeader("Server", "nginx");
        stage.headerFilter(x, security(true, null, null, "", null, false));
        assertThat(x.responseHeaders().lines()).containsExactly("Server: nginx",
                "Strict-Transport-Security: max-age=31536000");
    }

    @Test
    void anEmptyValueRemovesAResponseHeader() {
        FakeExchange x = FakeExchange.get("/").responseHeader("X-Empty", "origin");
        stage.headerFilter(x, config(Optional.empty(), edits(null, obj("X_Empty", ""), null)));
        assertThat(x.responseHeaders().lines()).isEmpty();
    }

    @Test
    void problemsAreLoggedOnce() {
        HeadersConfig c = security(null, null, "bad", null, null, null);
        FakeExchange first = FakeExchange.get("/");
        stage.rewrite(first, c);
        stage.headerFilter(first, c);
        assertThat(first.logLines()).containsExactly(
                new LogLine(LogLevel.ERR, "headers: frame_options: bad (expected: DENY or SAMEORIGIN)"));
    }
}
