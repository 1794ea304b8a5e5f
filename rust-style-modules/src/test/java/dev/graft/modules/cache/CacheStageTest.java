package dev.graft.modules.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.CtxKeys;
import dev.graft.modules.testing.FakeExchange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheStageTest {

    private final CacheStage stage = new CacheStage();

    private static CacheConfig withCookies(Object cookies, CacheRule... rules) {
        return new CacheConfig(Optional.of(List.of(rules)), Optional.empty(), Optional.ofNullable(cookies),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** rewrite, then a response with {@code status}, then header_filter. */
    private FakeExchange run(CacheConfig c, FakeExchange x, int status) {
        stage.rewrite(x, c);
        x.status(status);
        stage.headerFilter(x, c);
        return x;
    }

    @Test
    void theKeySortsRawQueryPairsAndReEscapesThePath() {
        assertThat(CacheKey.of("GET", "Shop.TEST", "/a b/ü", Optional.of("b=2&a=1&&a=10"))).isEqualTo(
                "GET shop.test/a%20b/%FC?a=1&a=10&b=2");
        assertThat(CacheKey.of("HEAD", "h", "/", Optional.of("&&"))).isEqualTo("HEAD h/");
        assertThat(CacheKey.of("GET", "h", "/", Optional.of("x=%41"))).isEqualTo("GET h/?x=%41");
        assertThat(CacheKey.of("GET", "h", "/", Optional.empty())).isEqualTo("GET h/");
    }

    @Test
    void rewriteKeepsTheKeyAndTheRulePosition() {
        CacheConfig c = CacheConfig.of(CacheRule.prefix("/static/", 60), CacheRule.regex("\\.css$", 600));
        FakeExchange x = FakeExchange.get("/a/site.css?v=1").host("shop.test");
        stage.rewrite(x, c);
        assertThat(x.ctxValues()).containsOnlyKeys("cache_key", "cache_rule").containsEntry("cache_rule", 2L);
        assertThat(x.get(CtxKeys.CACHE_KEY)).hasValueSatisfying(
                k -> assertThat(k).isEqualTo("GET shop.test/a/site.css?v=1".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aRuleSetsCacheControlAndTheKeyIsPublished() {
        CacheConfig c = CacheConfig.of(CacheRule.prefix("/static/", 86400));
        FakeExchange x = run(c, FakeExchange.get("/static/a.png").host("shop.test"), 200);
        assertThat(x.responseHeaders().lines()).containsExactly("X-Cache-Key: GET shop.test/static/a.png",
                "Cache-Control: public, max-age=86400");
    }

    @Test
    void otherMethodsAreLeftAlone() {
        CacheConfig c = CacheConfig.of(CacheRule.prefix("/", 1));
        FakeExchange x = run(c, FakeExchange.get("/").method("POST"), 200);
        assertThat(x.responseHeaders().lines()).isEmpty();
        assertThat(x.ctxValues()).isEmpty();
    }

    @Test
    void statusesOutsideTheListGetNoRule() {
        CacheConfig c = CacheConfig.of(CacheRule.prefix("/", 5));
        assertThat(run(c, FakeExchange.get("/"), 302).responseHeaders().all("Cache-Control")).isEmpty();
        assertThat(run(c, FakeExchange.get("/"), 301).responseHeaders().all("Cache-Control"))
                .containsExactly("public, max-age=5");
    }

    @Test
    void personalisedRequestsArePrivate() {
        CacheConfig named = withCookies(List.of("session"), CacheRule.prefix("/", 5));
        assertThat(run(named, FakeExchange.get("/").requestHeader("Cookie", "a=1; session=x"), 200)
                .responseHeaders().all("Cache-Control")).containsExactly("private, no-store");
        assertThat(run(named, FakeExchange.get("/").requestHeader("Cookie", "mysession=x"), 200)
                .responseHeaders().all("Cache-Control")).containsExactly("public, max-age=5");
        assertThat(run(named, FakeExchange.get("/").requestHeader("Cookie", "a=1").requestHeader("Cookie", "session=1"),
                200).responseHeaders().all("Cache-Control")).containsExactly("private, no-store");
        CacheConfig any = withCookies(null, CacheRule.prefix("/", 5));
        assertThat(run(any, FakeExchange.get("/").requestHeader("Cookie", "x=1"), 404)
                .responseHeaders().all("Cache-Control")).containsExactly("private, no-store");
        assertThat(run(any, FakeExchange.get("/").requestHeader("Cookie", "novalue"), 200)
                .responseHeaders().all("Cache-Control")).containsExactly("public, max-age=5");
        assertThat(run(withCookies(List.of()), FakeExchange.get("/").requestHeader("Cookie", "x=1"), 200)
                .responseHeaders().all("Cache-Control")).isEmpty();
        assertThat(run(any, FakeExchange.get("/nomatch").requestHeader("Authorization", "Basic x"), 500)
                .responseHeaders().all("Cache-Control")).containsExactly("private, no-store");
        assertThat(run(any, FakeExchange.get("/").responseHeader("Set-Cookie", "s=1"), 200)
                .responseHeaders().all("Cache-Control")).containsExactly("private, no-store");
    }

    @Test
    void overrideOriginFalseKeepsTheOriginsValue() {
        CacheRule keep = new CacheRule(Optional.of("/"), Optional.empty(), Optional.of(5), Optional.empty(),
                Optional.of(false));
        FakeExchange x = run(CacheConfig.of(keep), FakeExchange.get("/").responseHeader("Cache-Control", "no-cache"),
                200);
        assertThat(x.responseHeaders().all("Cache-Control")).containsExactly("no-cache");
    }

    @Test
    void anEarlierAnswerInRewriteStillGetsKeyAndRule() {
        CacheConfig c = new CacheConfig(Optional.of(List.of(CacheRule.prefix("/old", 9))), Optional.of("X_Edge_Key"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        FakeExchange x = FakeExchange.get("/old").host("h").status(301);
        stage.headerFilter(x, c);
        assertThat(x.responseHeaders().lines()).containsExactly("X-Edge-Key: GET h/old",
                "Cache-Control: public, max-age=9");
        assertThat(x.get(CtxKeys.CACHE_KEY)).hasValueSatisfying(
                k -> assertThat(k).isEqualTo("GET h/old".getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Parity bug: the key (a byte string, one char per byte) was stored under a TEXT key, so a Lua
     * stage read its chars' UTF-8 ("cafÃ©") instead of the bytes the Lua module stores ("café").
     * The context now holds exactly those bytes, and header_filter reads them back unchanged.
     */
    @Test
    void nonAsciiBytesInTheKeyReachTheContextAsTheLuaModulesBytes() {
        byte[] utf8Args = "q=café&a=\u00ff".getBytes(StandardCharsets.UTF_8);
        String wireArgs = new String(utf8Args, StandardCharsets.ISO_8859_1) + "&z=\u00ff"; // one raw 0xFF byte too
        String path = new String("/café".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        FakeExchange x = FakeExchange.get(path + "?" + wireArgs).host("h");
        CacheConfig c = new CacheConfig(Optional.of(List.of(CacheRule.prefix("/", 9))), Optional.of("X-Key"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        run(c, x, 200);
        byte[] expected = concat("GET h/caf%C3%A9?a=".getBytes(StandardCharsets.US_ASCII),
                "\u00ff".getBytes(StandardCharsets.UTF_8), "&q=caf".getBytes(StandardCharsets.US_ASCII),
                "é".getBytes(StandardCharsets.UTF_8), "&z=".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xFF});
        assertThat(x.get(CtxKeys.CACHE_KEY)).hasValueSatisfying(k -> assertThat(k).isEqualTo(expected));
        // the response header is Latin-1 in Netty, one char per byte: the same bytes on the wire
        assertThat(x.responseHeaders().all("X-Key")).containsExactly(new String(expected, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aKeyTheLuaModuleStoredIsReadAsItsBytes() {
        byte[] luaKey = "GET h/?q=café".getBytes(StandardCharsets.UTF_8);
        FakeExchange x = FakeExchange.get("/?q=x").host("h").ctx(CtxKeys.CACHE_KEY, luaKey);
        CacheConfig c = new CacheConfig(Optional.of(List.of()), Optional.of("X-Key"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        stage.headerFilter(x, c);
        assertThat(x.responseHeaders().all("X-Key")).containsExactly(new String(luaKey, StandardCharsets.ISO_8859_1));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void brokenSettingsHaveTheLuaModulesMessages() {
        CacheRule both = new CacheRule(Optional.of("/a"), Optional.of("a"), Optional.of(5), Optional.empty(),
                Optional.empty());
        CacheRule noTtl = new CacheRule(Optional.of("/a"), Optional.empty(), Optional.of(-1), Optional.empty(),
                Optional.empty());
        CacheRule badCc = new CacheRule(Optional.of("/a"), Optional.empty(), Optional.empty(), Optional.of(""),
                Optional.empty());
        CacheConfig c = new CacheConfig(Optional.of(List.of(both, noTtl, CacheRule.regex("([a-", 1), badCc,
                CacheRule.prefix("", 1), CacheRule.prefix("/ok", 1))), Optional.of(false), Optional.of("session"),
                Optional.empty(), Optional.empty(), Optional.of(200));
        assertThat(c.plan().problems().messages()).containsExactly(
                "cache: rules[1]: prefix/regex (expected: exactly one of prefix or regex)",
                "cache: rules[2].ttl: -1 (expected: whole seconds >= 0)",
                "cache: rules[3].regex: ([a- (expected: a valid regular expression)",
                "cache: rules[4].cache_control:  (expected: a Cache-Control value)",
                "cache: rules[5].prefix:  (expected: a non-empty path prefix)",
                "cache: statuses: 200 (expected: a list of status codes)",
                "cache: bypass_cookies: session (expected: a list of cookie names)");
        assertThat(c.plan().rules()).hasSize(1);
        assertThat(c.plan().keyHeader()).isEmpty();
        assertThat(c.plan().anyCookie()).isTrue();
        assertThat(c.plan().statuses()).hasSize(CachePlan.DEFAULT_STATUSES.size());
    }
}
