package dev.graft.modules.cors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.Outcome;
import dev.graft.modules.testing.FakeExchange;
import dev.graft.modules.testing.Json;
import dev.graft.modules.testing.RecordBinder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorsStageTest {

    private final CorsStage stage = new CorsStage();
    private final CorsConfig conf = RecordBinder.bind(Json.parse(
            "{\"origins\": [\"https://app.test\"], \"credentials\": true, \"expose_headers\": [\"X-Id\"]}"), CorsConfig.class);

    @Test
    void preflightIsAnsweredWithTheHeadersInLuaOrder() {
        FakeExchange x = FakeExchange.get("/").method("OPTIONS").requestHeader("Origin", "https://APP.test")
                .requestHeader("Access-Control-Request-Method", "PUT")
                .requestHeader("Access-Control-Request-Headers", "x-a")
                .requestHeader("Access-Control-Request-Headers", "x-b");
        Outcome o = stage.access(x, conf);
        Outcome.Exit e = (Outcome.Exit) o;
        assertThat(e.status()).isEqualTo(204);
        assertThat(e.body()).isEmpty();
        assertThat(e.headers()).containsExactly(
                Map.entry("Access-Control-Allow-Origin", "https://APP.test"),
                Map.entry("Access-Control-Allow-Credentials", "true"),
                Map.entry("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE"),
                Map.entry("Access-Control-Allow-Headers", "x-a,x-b"),
                Map.entry("Access-Control-Max-Age", "600"),
                Map.entry("Vary", "Origin"));
        assertThat(x.get(CtxKeys.CORS_PREFLIGHT)).hasValue(true);
    }

    @Test
    void headerFilterMergesVaryAndDropsTheUpstreamsCorsHeaders() {
        FakeExchange x = FakeExchange.get("/").requestHeader("Origin", "https://evil.test")
                .responseHeader("Vary", "Accept-Encoding").responseHeader("Vary", "Cookie")
                .responseHeader("Access-Control-Allow-Origin", "*");
        assertThat(stage.access(x, conf)).isEqualTo(Outcome.proceed());
        assertThat(x.get(CtxKeys.CORS_ORIGIN)).isEmpty();
        stage.headerFilter(x, conf);
        assertThat(x.responseHeaders().all("Vary")).containsExactly("Accept-Encoding, Cookie, Origin");
        assertThat(x.responseHeaders().contains("Access-Control-Allow-Origin")).isFalse();
    }

    @Test
    void varyIsNotRepeatedNorAddedToStar() {
        FakeExchange a = FakeExchange.get("/").responseHeader("Vary", "accept,origin");
        stage.headerFilter(a, conf);
        assertThat(a.responseHeaders().all("Vary")).containsExactly("accept,origin");
        FakeExchange b = FakeExchange.get("/").responseHeader("Vary", "*");
        stage.headerFilter(b, conf);
        assertThat(b.responseHeaders().all("Vary")).containsExactly("*");
        FakeExchange c = FakeExchange.get("/").responseHeader("Vary", "X-Origin");
        stage.headerFilter(c, conf);
        assertThat(c.responseHeaders().all("Vary")).containsExactly("X-Origin, Origin");
    }

    @Test
    void anEarlyAnswerStillGetsTheHeadersButAPreflightNoExpose() {
        FakeExchange early = FakeExchange.get("/").requestHeader("Origin", "https://app.test").status(401);
        stage.headerFilter(early, conf);
        assertThat(early.responseHeaders().first("Access-Control-Allow-Origin")).hasValue("https://app.test");
        assertThat(early.responseHeaders().first("Access-Control-Expose-Headers")).hasValue("X-Id");

        FakeExchange pre = FakeExchange.get("/").requestHeader("Origin", "https://app.test")
                .ctx(CtxKeys.CORS_ORIGIN, "https://app.test").ctx(CtxKeys.CORS_CHECKED, true)
                .ctx(CtxKeys.CORS_PREFLIGHT, true);
        stage.headerFilter(pre, conf);
        assertThat(pre.responseHeaders().contains("Access-Control-Expose-Headers")).isFalse();
    }

    @Test
    void aRefusedPreflightForgetsTheOrigin() {
        FakeExchange x = FakeExchange.get("/").method("OPTIONS").requestHeader("Origin", "https://app.test")
                .requestHeader("Access-Control-Request-Method", "put");
        Outcome.Exit e = (Outcome.Exit) stage.access(x, conf);
        assertThat(e.status()).isEqualTo(403);
        assertThat(new String(e.body().orElseThrow())).isEqualTo("method not allowed\n");
        assertThat(x.get(CtxKeys.CORS_ORIGIN)).isEmpty();
        assertThat(x.get(CtxKeys.CORS_CHECKED)).hasValue(true);
    }

    @Test
    void settingsProblemsAreLoggedOnceEvenWhenHeaderFilterIsTheFirstUse() {
        CorsConfig c = RecordBinder.bind(Json.parse("{\"origins\": [\"\"]}"), CorsConfig.class);
        FakeExchange first = FakeExchange.get("/");
        stage.headerFilter(first, c);
        assertThat(first.logLines()).containsExactly(new FakeExchange.LogLine(
                dev.graft.bridge.StageExchange.LogLevel.ERR, "cors: origins[1]: not a string, ignored"));
        FakeExchange second = FakeExchange.get("/");
        stage.access(second, c);
        stage.headerFilter(second, c);
        assertThat(second.logLines()).isEmpty();
    }

    @Test
    void overOneHundredHeaderLinesIsLeftToLua() {
        FakeExchange x = FakeExchange.get("/").requestHeaderLines(101, 7);
        assertThat(stage.headerFilter(x, conf)).isEqualTo(Outcome.fallback("over 100 request headers"));
        FakeExchange y = FakeExchange.get("/").requestHeaderLines(100, 1);
        assertThat(stage.headerFilter(y, conf)).isNotInstanceOf(Outcome.Fallback.class);
    }

    @Test
    void anEchoedOriginCrossesAsUtf8TextOrFallsBack() {
        CorsConfig any = RecordBinder.bind(Json.parse("{\"origins\": [\"*\"], \"credentials\": true}"), CorsConfig.class);
        // request text is one char per byte: "https://\u00e9.test" arrives as its UTF-8 bytes
        FakeExchange utf8 = FakeExchange.get("/").requestHeader("Origin", "https://\u00c3\u00a9.test");
        assertThat(stage.access(utf8, any)).isEqualTo(Outcome.proceed());
        assertThat(utf8.get(CtxKeys.CORS_ORIGIN)).hasValue("https://\u00e9.test");
        stage.headerFilter(utf8, any);
        assertThat(utf8.responseHeaders().first("Access-Control-Allow-Origin")).hasValue("https://\u00c3\u00a9.test");

        FakeExchange raw = FakeExchange.get("/").requestHeader("Origin", "https://\u00ff.test");
        assertThat(stage.access(raw, any)).isEqualTo(Outcome.fallback("origin not UTF-8"));
    }
}
