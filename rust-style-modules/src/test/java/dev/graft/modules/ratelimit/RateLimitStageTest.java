package dev.graft.modules.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.bridge.shared.DictItem;
import dev.graft.bridge.shared.SharedDict;
import dev.graft.bridge.shared.SharedValue;
import dev.graft.modules.lua.LuaValues;
import dev.graft.modules.testing.FakeExchange;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimitStageTest {

    // 2026-01-01T00:10:00Z: 600 s into an hour window
    private static final Instant T = Instant.parse("2026-01-01T00:10:00Z");
    private static final long HOUR_START = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();

    private final RateLimitStage stage = new RateLimitStage();
    private final Map<String, SharedDict> dicts = new HashMap<>();

    private static Map<String, Object> rule(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static RateLimitConfig config(Object... rules) {
        return RateLimitConfig.of(List.of(rules), null, null, null);
    }

    private FakeExchange exchange(String target) {
        SharedDict d = dicts.computeIfAbsent("ratelimit", n -> new SharedDict(n, 1 << 20, () -> T));
        return FakeExchange.get(target).clock(Clock.fixed(T, ZoneOffset.UTC)).sharedDict("ratelimit", d);
    }

    private static String text(Outcome o) {
        return new String(((Outcome.Exit) o).body().orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void fixedWindowCountsThenRefusesWith429AndHeaders() {
        RateLimitConfig c = config(rule("name", "per-client", "limit", 2, "window", 3600));
        FakeExchange a = exchange("/");
        assertThat(stage.access(a, c)).isEqualTo(Outcome.proceed());
        assertThat(a.get(CtxKeys.RATELIMIT)).contains(Map.of("rule", "per-client", "limit", 2L, "remaining", 1L,
                "reset", 3000L));
        stage.access(exchange("/"), c);
        FakeExchange refused = exchange("/");
        Outcome o = stage.access(refused, c);
        assertThat(o).isInstanceOf(Outcome.Exit.class);
        Outcome.Exit e = (Outcome.Exit) o;
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.headers()).containsExactly(Map.entry("Retry-After", "3000"), Map.entry("Content-Type", "text/plain"),
                Map.entry("RateLimit-Limit", "2"), Map.entry("RateLimit-Remaining", "0"),
                Map.entry("RateLimit-Reset", "3000"));
        assertThat(text(o)).isEqualTo("Too Many Requests\n");
        assertThat(refused.logLines()).containsExactly(new FakeExchange.LogLine(LogLevel.INFO,
                "ratelimit: customer=acme rule=per-client client=127.0.0.1 limit=2 refused"));
        // the Lua key and TTL: a refused request counts too
        String key = "acme:per-client:c=127.0.0.1:" + HOUR_START;
        assertThat(dicts.get("ratelimit").get(key)).isEqualTo(new dev.graft.bridge.shared.DictResult.Ok<>(
                Optional.of(new DictItem(new SharedValue.Num(3), 0, false)), false));
        assertThat(dicts.get("ratelimit").ttl(key)).isEqualTo(new dev.graft.bridge.shared.DictResult.Ok<>(3600.0, false));
    }

    @Test
    void slidingWeighsThePreviousWindowAndDoesNotCountRefusals() {
        RateLimitConfig c = config(rule("name", "s", "limit", 4, "window", 3600, "algorithm", "sliding"));
        FakeExchange first = exchange("/");
        SharedDict d = dicts.get("ratelimit");
        // previous window: 6 requests; 600 of 3600 s elapsed -> 6 * 3000 / 3600 = 5 > 4 - 1
        d.incr("acme:s:c=127.0.0.1:" + (HOUR_START - 3600), 6, Optional.of(0.0), 7_200_000);
        assertThat(stage.access(first, c)).isInstanceOf(Outcome.Exit.class);
        assertThat(d.get("acme:s:c=127.0.0.1:" + HOUR_START).ok()).isTrue();
        assertThat(((dev.graft.bridge.shared.DictResult.Ok<Optional<DictItem>>) d.get("acme:s:c=127.0.0.1:" + HOUR_START))
                .value()).isEmpty();
    }

    @Test
    void slidingRemainingIsTheFlooredEstimate() {
        RateLimitConfig c = config(rule("name", "s", "limit", 10, "window", 3600, "algorithm", "sliding"));
        FakeExchange ex = exchange("/");
        SharedDict d = dicts.get("ratelimit");
        d.incr("acme:s:c=127.0.0.1:" + (HOUR_START - 3600), 3, Optional.of(0.0), 7_200_000);
        assertThat(stage.access(ex, c)).isEqualTo(Outcome.proceed());
        // scaled = 3 * 3000 + 1 * 3600 = 12600; (36000 - 12600) / 3600 = 6.5 -> 6
        assertThat(ex.get(CtxKeys.RATELIMIT).orElseThrow()).containsEntry("remaining", 6L);
        assertThat(d.ttl("acme:s:c=127.0.0.1:" + HOUR_START))
                .isEqualTo(new dev.graft.bridge.shared.DictResult.Ok<>(7200.0, false));
    }

    @Test
    void headerKeysByValueAndFallsBackToTheClient() {
        RateLimitConfig c = config(rule("name", "k", "key", "header:X-Api-Key", "limit", 5, "window", 3600));
        stage.access(exchange("/").requestHeader("x-api-key", "alpha"), c);
        stage.access(exchange("/"), c);
        stage.access(exchange("/").requestHeader("X-Api-Key", ""), c);
        String longValue = "v".repeat(65);
        stage.access(exchange("/").requestHeader("X-Api-Key", longValue), c);
        List<String> keys = new ArrayList<>();
        for (byte[] k : dicts.get("ratelimit").keys(0)) {
            keys.add(new String(k, StandardCharsets.ISO_8859_1));
        }
        assertThat(keys).containsExactlyInAnyOrder("acme:k:h=alpha:" + HOUR_START, "acme:k:c=127.0.0.1:" + HOUR_START,
                "acme:k:h=" + md5(longValue) + ":" + HOUR_START);
    }

    @Test
    void pathPrefixKeyAndMatchPrefix() {
        RateLimitConfig c = config(rule("name", "p", "key", "path_prefix", "limit", 5, "window", 3600),
                rule("name", "api", "match_prefix", "/api", "limit", 1, "window", 3600));
        FakeExchange ex = exchange("/docs/x");
        assertThat(stage.access(ex, c)).isEqualTo(Outcome.proceed());
        assertThat(ex.get(CtxKeys.RATELIMIT).orElseThrow()).containsEntry("rule", "p");
        FakeExchange api = exchange("/apix");
        stage.access(api, c);
        // the most restrictive rule is published
        assertThat(api.get(CtxKeys.RATELIMIT).orElseThrow()).containsEntry("rule", "api").containsEntry("remaining", 0L);
        assertThat(dicts.get("ratelimit").get("acme:p:p=/docs:" + HOUR_START).ok()).isTrue();
        assertThat(RuleKeys.firstSegment("/")).isEqualTo("/");
        assertThat(RuleKeys.firstSegment("/a/b")).isEqualTo("/a");
    }

    @Test
    void matchPrefixComparesTheUtf8BytesOfThePath() {
        // $uri is a byte string on the bridge (one char per byte): "/dé" arrives as its UTF-8 bytes
        RateLimitConfig c = config(rule("name", "p", "key", "path_prefix", "match_prefix", "/d\u00e9", "limit", 5,
                "window", 3600));
        FakeExchange ex = exchange("/x").uri("/d\u00c3\u00a9j\u00c3\u00a0");
        stage.access(ex, c);
        assertThat(ex.get(CtxKeys.RATELIMIT)).isPresent();
        List<String> keys = new ArrayList<>();
        for (byte[] k : dicts.get("ratelimit").keys(0)) {
            keys.add(new String(k, StandardCharsets.UTF_8));
        }
        assertThat(keys).containsExactly("acme:p:p=/d\u00e9:" + HOUR_START);
        FakeExchange other = exchange("/x").uri("/de");
        stage.access(other, c);
        assertThat(other.get(CtxKeys.RATELIMIT)).isEmpty();
    }

    @Test
    void clientAddressComesFromIpRulesWhenPublished() {
        RateLimitConfig c = config(rule("name", "c", "limit", 1, "window", 3600));
        FakeExchange ex = exchange("/");
        ex.put(CtxKeys.CLIENT_IP, "203.0.113.9");
        stage.access(ex, c);
        assertThat(dicts.get("ratelimit").get("acme:c:c=203.0.113.9:" + HOUR_START).ok()).isTrue();
    }

    @Test
    void invalidRulesAreLoggedOnceAndIgnored() {
        RateLimitConfig c = RateLimitConfig.of(List.of(
                rule("name", "bad-key", "key", "cookie:x", "limit", 1, "window", 3600),
                rule("name", "bad-limit", "limit", 0, "window", 3600),
                rule("name", "bad-window", "limit", 1, "window", 1.5),
                rule("name", "bad-algo", "limit", 1, "window", 3600, "algorithm", "token-bucket"),
                rule("limit", 4294967296L, "window", 3600),
                rule("limit", 1, "window", 3600, "match_prefix", ""),
                "x",
                rule("name", "good", "limit", 2, "window", 3600, "key", false)), 200, 5, "no");
        assertThat(c.policy().problems()).containsExactly(
                "ratelimit: rules[1].key: cookie:x (expected: client, path_prefix or header:<Name>), rule ignored",
                "ratelimit: rules[2].limit: 0 (expected: an integer from 1 to 2147483647), rule ignored",
                "ratelimit: rules[3].window: 1.5 (expected: seconds, an integer from 1 to 2147483647), rule ignored",
                "ratelimit: rules[4].algorithm: token-bucket (expected: fixed or sliding), rule ignored",
                "ratelimit: rules[5].limit: 4294967296 (expected: an integer from 1 to 2147483647), rule ignored",
                "ratelimit: rules[6].match_prefix:  (expected: a path prefix), rule ignored",
                "ratelimit: rules[7]: (expected: an object), rule ignored",
                "ratelimit: status: 200 (expected: an HTTP status from 400 to 599), using 429");
        assertThat(c.policy().rules()).extracting(RateLimitRule::name).containsExactly("good");
        assertThat(c.policy().status()).isEqualTo(429);
        assertThat(c.policy().message()).isEqualTo("Too Many Requests");
        assertThat(c.policy().headers()).isTrue();
        FakeExchange first = exchange("/");
        stage.access(first, c);
        assertThat(first.logLines()).hasSize(8).allMatch(l -> l.level() == LogLevel.ERR);
        FakeExchange second = exchange("/");
        stage.access(second, c);
        assertThat(second.logLines()).isEmpty();
    }

    @Test
    void rulesThatAreNotAListLogAndLimitNothing() {
        assertThat(RateLimitConfig.of(null, null, null, null).policy().problems())
                .containsExactly("ratelimit: rules: (expected: a list of rules), nothing is limited");
        assertThat(RateLimitConfig.of(Map.of(), null, null, null).policy().problems()).isEmpty();
        assertThat(RateLimitConfig.of(List.of(), "x", null, null).policy().problems())
                .containsExactly("ratelimit: status: x (expected: an HTTP status from 400 to 599), using 429");
    }

    @Test
    void customStatusAndMessage() {
        RateLimitConfig c = RateLimitConfig.of(List.of(rule("limit", 1, "window", 60)), 503, "slow down", null);
        stage.access(exchange("/"), c);
        Outcome o = stage.access(exchange("/"), c);
        assertThat(((Outcome.Exit) o).status()).isEqualTo(503);
        assertThat(text(o)).isEqualTo("slow down\n");
    }

    @Test
    void missingDictFailsOpen() {
        FakeExchange ex = FakeExchange.get("/");
        assertThat(stage.access(ex, config(rule("limit", 1, "window", 60)))).isEqualTo(Outcome.proceed());
        assertThat(ex.logLines()).containsExactly(new FakeExchange.LogLine(LogLevel.ERR,
                "ratelimit: lua_shared_dict ratelimit is not configured, request allowed"));
    }

    @Test
    void headerFilterSendsHeadersUnlessOffAndNotTheRefusal() {
        Map<String, Object> rl = Map.of("rule", "r", "limit", 10L, "remaining", 3L, "reset", 42L);
        FakeExchange ex = exchange("/").status(200);
        ex.put(CtxKeys.RATELIMIT, rl);
        stage.headerFilter(ex, config());
        assertThat(ex.response().headers().first("RateLimit-Remaining")).contains("3");
        assertThat(ex.response().headers().first("RateLimit-Reset")).contains("42");

        RateLimitConfig off = RateLimitConfig.of(List.of(), null, null, false);
        FakeExchange allowed = exchange("/").status(200);
        allowed.put(CtxKeys.RATELIMIT, rl);
        stage.headerFilter(allowed, off);
        assertThat(allowed.response().headers().contains("RateLimit-Limit")).isFalse();
        FakeExchange refused = exchange("/").status(429);
        refused.put(CtxKeys.RATELIMIT, rl);
        stage.headerFilter(refused, off);
        assertThat(refused.response().headers().first("RateLimit-Limit")).contains("10");
    }

    @Test
    void moreThan100HeaderLinesFallBackToLuaForHeaderKeys() {
        RateLimitConfig c = config(rule("key", "header:x-k", "limit", 1, "window", 60));
        FakeExchange ex = exchange("/");
        for (int i = 0; i < 101; i++) {
            ex.requestHeader("x-h" + i, "v");
        }
        assertThat(stage.access(ex, c)).isInstanceOf(Outcome.Fallback.class);
        assertThat(dicts.get("ratelimit").keys(0)).isEmpty();
    }

    @Test
    void luaNumbersPrintAsLuaJitDoes() {
        assertThat(LuaValues.number14g(1.5)).isEqualTo("1.5");
        assertThat(LuaValues.number14g(4294967296.0)).isEqualTo("4294967296");
        assertThat(LuaValues.number14g(1e20)).isEqualTo("1e+20");
        assertThat(LuaValues.number14g(0.1)).isEqualTo("0.1");
        assertThat(LuaValues.number14g(1.0 / 3)).isEqualTo("0.33333333333333");
        assertThat(LuaValues.number14g(1e-5)).isEqualTo("1e-05");
    }

    private static String md5(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(s.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
