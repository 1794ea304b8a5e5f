package dev.graft.modules.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.Outcome;
import dev.graft.modules.testing.FakeExchange;
import dev.graft.modules.testing.Json;
import dev.graft.modules.testing.RecordBinder;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class RouterStageTest {

    private final RouterStage stage = new RouterStage();

    private static RouterConfig conf(String json) {
        return RecordBinder.bind(Json.parse(json), RouterConfig.class);
    }

    private static final String POOL = "{\"pools\": {\"web\": {\"targets\": [{\"upstream\": \"origin-a\", \"weight\": 3},"
            + " {\"upstream\": \"origin-b\", \"weight\": 1}]}}, \"routes\": [{\"prefix\": \"/\", \"pool\": \"web\"}],"
            + " \"route_header\": \"X-Route\"}";

    @Test
    void poolChoiceIsCrc32OfClientAndCustomerModuloTheWeight() {
        FakeExchange x = FakeExchange.get("/").customer("shop").remoteAddress("192.0.2.1");
        assertThat(stage.access(x, conf(POOL))).isEqualTo(Outcome.proceed());
        CRC32 crc = new CRC32();
        crc.update("192.0.2.1|shop".getBytes());
        String want = crc.getValue() % 4 < 3 ? "origin-a" : "origin-b";
        assertThat(x.upstream()).isEqualTo(want);
        assertThat(x.get(CtxKeys.ROUTE)).hasValue("route-1");
        assertThat(x.requestHeaders().first("X-Route")).hasValue("route-1");
        assertThat(x.get(CtxKeys.ROUTER_SET_COOKIE))
                .hasValue("graft_sticky_web=" + want + "; Path=/; HttpOnly; SameSite=Lax");

        x.responseHeader("Set-Cookie", "own=1");
        stage.headerFilter(x, conf(POOL));
        assertThat(x.responseHeaders().all("Set-Cookie"))
                .containsExactly("own=1", "graft_sticky_web=" + want + "; Path=/; HttpOnly; SameSite=Lax");
    }

    @Test
    void theResolvedClientOfIpRulesIsTheKey() {
        FakeExchange a = FakeExchange.get("/").customer("c").ctx(CtxKeys.CLIENT_IP, "198.51.100.77");
        FakeExchange b = FakeExchange.get("/").customer("c").remoteAddress("198.51.100.77");
        stage.access(a, conf(POOL));
        stage.access(b, conf(POOL));
        assertThat(a.upstream()).isEqualTo(b.upstream());
        assertThat(a.get(CtxKeys.ROUTER_SET_COOKIE)).isEqualTo(b.get(CtxKeys.ROUTER_SET_COOKIE));
    }

    @Test
    void aCookieNamingALiveTargetWinsWithoutANewCookie() {
        FakeExchange x = FakeExchange.get("/").requestHeader("Cookie", "a=1; graft_sticky_web = \"origin-b\" ");
        stage.access(x, conf(POOL));
        assertThat(x.upstream()).isEqualTo("origin-b");
        assertThat(x.get(CtxKeys.ROUTER_SET_COOKIE)).isEmpty();
    }

    @Test
    void cookieValueTakesTheFirstOccurrence() {
        assertThat(Balancer.cookieValue(List.of("x=1; k=a", "k=b"), "k")).hasValue("a");
        assertThat(Balancer.cookieValue(List.of("k"), "k")).isEmpty();
        assertThat(Balancer.cookieValue(List.of("k=\""), "k")).hasValue("\"");
    }

    @Test
    void bucketRoutesRewriteThePathAndDropTheQuery() {
        RouterConfig c = conf("{\"routes\": [{\"name\": \"files\", \"prefix\": \"/files/\", \"bucket\": \"assets\"}]}");
        FakeExchange x = FakeExchange.get("/files/my%20file.txt?v=1").uri("/files/my file.txt");
        assertThat(stage.access(x, c)).isEqualTo(Outcome.proceed());
        assertThat(x.request().uri()).isEqualTo("/assets/my file.txt");
        assertThat(x.request().args()).isEmpty();
        assertThat(x.upstream()).isEqualTo("bucket");

        Outcome.Exit e = (Outcome.Exit) stage.access(FakeExchange.get("/files/"), c);
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.headers()).containsExactly(Map.entry("Content-Type", "text/plain"));
        assertThat(new String(e.body().orElseThrow())).isEqualTo("not found\n");
    }

    @Test
    void maintenanceAnswersBeforeAnyRoute() {
        RouterConfig c = conf("{\"maintenance\": {\"body\": \"down\", \"retry_after\": 60},"
                + " \"routes\": [{\"prefix\": \"/\", \"upstream\": \"origin-b\"}]}");
        FakeExchange x = FakeExchange.get("/x");
        Outcome.Exit e = (Outcome.Exit) stage.access(x, c);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.headers()).containsExactly(Map.entry("Content-Type", "text/html"),
                Map.entry("Cache-Control", "no-store"), Map.entry("Retry-After", "60"));
        assertThat(new String(e.body().orElseThrow())).isEqualTo("down\n");
        assertThat(x.get(CtxKeys.ROUTE)).hasValue("maintenance");
        assertThat(x.upstream()).isEqualTo("origin-a");
    }

    @Test
    void noMatchIsTheDefaultRoute() {
        RouterConfig c = conf("{\"default_upstream\": \"origin-b\", \"route_header\": \"X-Route\","
                + " \"routes\": [{\"hosts\": [\"OTHER.test\"], \"upstream\": \"origin-a\"}, {\"methods\": [\"post\"], \"upstream\": \"origin-a\"}]}");
        FakeExchange x = FakeExchange.get("/").method("POST");
        stage.access(x, c);
        assertThat(x.upstream()).isEqualTo("origin-b");
        assertThat(x.get(CtxKeys.ROUTE)).hasValue("default");
        assertThat(x.requestHeaders().first("X-Route")).hasValue("default");
        FakeExchange y = FakeExchange.get("/").host("other.test");
        stage.access(y, c);
        assertThat(y.upstream()).isEqualTo("origin-a");
    }

    @Test
    void stripPrefixKeepsALeadingSlash() {
        RouterConfig c = conf("{\"routes\": [{\"prefix\": \"/api\", \"upstream\": \"origin-b\", \"strip_prefix\": true}]}");
        FakeExchange x = FakeExchange.get("/api?x=1");
        stage.access(x, c);
        assertThat(x.request().uri()).isEqualTo("/");
        assertThat(x.request().args()).hasValue("x=1");
    }

    @Test
    void ignoredRoutesAreLoggedAtErrByTheFirstRequestOnly() {
        RouterConfig c = conf("{\"routes\": [{\"prefix\": \"/\"}]}");
        FakeExchange first = FakeExchange.get("/");
        stage.access(first, c);
        assertThat(first.logLines()).containsExactly(new FakeExchange.LogLine(
                dev.graft.bridge.StageExchange.LogLevel.ERR,
                "router: routes[1]: no action (expected: upstream, pool, bucket or maintenance), route ignored"));
        FakeExchange second = FakeExchange.get("/");
        stage.access(second, c);
        assertThat(second.logLines()).isEmpty();
    }

    @Test
    void overOneHundredHeaderLinesIsLeftToLua() {
        FakeExchange x = FakeExchange.get("/").requestHeaderLines(101, 7);
        assertThat(stage.access(x, conf("{}"))).isEqualTo(Outcome.fallback("over 100 request headers"));
        FakeExchange y = FakeExchange.get("/").requestHeaderLines(100, 1);
        assertThat(stage.access(y, conf("{}"))).isNotInstanceOf(Outcome.Fallback.class);
    }

    @Test
    void settingsNamesCrossAsJavaText() {
        RouterConfig c = conf("{\"routes\": [{\"name\": \"caf\u00e9\", \"prefix\": \"/\", \"upstream\": \"origin-b\"}],"
                + " \"route_header\": \"X-Route\"}");
        FakeExchange x = FakeExchange.get("/");
        stage.access(x, c);
        assertThat(x.get(CtxKeys.ROUTE)).hasValue("caf\u00e9");
        assertThat(x.upstream()).isEqualTo("origin-b");
        // request headers are byte strings: the UTF-8 bytes of the name
        assertThat(x.requestHeaders().first("X-Route")).hasValue("caf\u00c3\u00a9");
    }

    @Test
    void anEmptyRouteNameRemovesTheRouteHeaderAsSetHeaderDoes() {
        RouterConfig c = conf("{\"routes\": [{\"name\": \"\", \"upstream\": \"origin-b\"}], \"route_header\": \"X-Route\"}");
        FakeExchange x = FakeExchange.get("/").requestHeader("X-Route", "forged");
        stage.access(x, c);
        assertThat(x.requestHeaders().contains("X-Route")).isFalse();
        assertThat(x.get(CtxKeys.ROUTE)).hasValue("");
    }
}
