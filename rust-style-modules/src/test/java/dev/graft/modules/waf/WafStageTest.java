package dev.graft.modules.waf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.modules.lua.LuaText;
import dev.graft.modules.testing.FakeExchange;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The access phase on a fake exchange: verdicts, effects and log lines as waf/handler.lua's. */
class WafStageTest {

    private final WafStage stage = new WafStage();

    private static Map<String, Object> rule(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A request with the Host header every real request has (rule 920280 checks it). */
    private static FakeExchange get(String target) {
        return FakeExchange.get(target).requestHeader("Host", "acme.test");
    }

    private static WafConfig mode(String mode) {
        return WafConfig.of(mode, null, null, null, null, null, null, null, null);
    }

    private static WafConfig customOnly(String mode, Object... rules) {
        // every built-in rule disabled: the custom ones alone decide
        List<Object> all = BuiltinRules.ALL.stream().map(r -> (Object) r.id()).toList();
        return WafConfig.of(mode, null, all, List.of(rules), null, null, null, null, null);
    }

    @Test
    void blockRefusesWith403AndTheRequestId() {
        FakeExchange x = get("/search?q=1%27%20OR%201%3D1").requestId("ab12");
        Outcome o = stage.access(x, mode("block"));
        Outcome.Exit e = (Outcome.Exit) o;
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.headers()).containsExactly(Map.entry("Content-Type", "text/plain"),
                Map.entry("Cache-Control", "no-store"));
        assertThat(new String(e.body().orElseThrow(), StandardCharsets.UTF_8)).isEqualTo(
                "Forbidden: the request was blocked by the web application firewall.\nRequest ID: ab12\n");
        assertThat(x.get(CtxKeys.WAF_MATCHES)).contains(List.of(942100L, 942110L));
        assertThat(x.get(CtxKeys.WAF_SCORE)).contains(10L);
        assertThat(x.logLines()).containsExactly(new FakeExchange.LogLine(LogLevel.WARN,
                "waf: customer=acme score=10 threshold=5 mode=block action=block rules=942100,942110"));
        assertThat(x.request().headers().first("X-Waf-Score")).contains("10");
        assertThat(x.request().headers().first("X-Waf-Matches")).contains("942100,942110");
    }

    @Test
    void logModePassesAndTellsTheUpstream() {
        FakeExchange x = get("/?q=%3Cscript%3E");
        assertThat(stage.access(x, mode("log"))).isEqualTo(Outcome.proceed());
        assertThat(x.logLines()).extracting(FakeExchange.LogLine::message)
                .containsExactly("waf: customer=acme score=5 threshold=5 mode=log action=pass rules=941100");
        assertThat(x.request().headers().first("X-Waf-Matches")).contains("941100");
    }

    @Test
    void aCleanRequestScoresZeroAndForgedHeadersAreReplaced() {
        FakeExchange x = get("/docs?page=2").requestHeader("User-Agent", "curl/8.0")
                .requestHeader("X-Waf-Score", "-100").requestHeader("X-Waf-Matches", "1");
        assertThat(stage.access(x, mode("block"))).isEqualTo(Outcome.proceed());
        assertThat(x.get(CtxKeys.WAF_MATCHES)).contains(List.of());
        assertThat(x.get(CtxKeys.WAF_SCORE)).contains(0L);
        assertThat(x.request().headers().all("X-Waf-Score")).containsExactly("0");
        assertThat(x.request().headers().contains("X-Waf-Matches")).isFalse();
        assertThat(x.logLines()).isEmpty();
    }

    @Test
    void offInspectsNothingButStripsForgedHeaders() {
        FakeExchange x = get("/?q=%3Cscript%3E").requestHeader("X-Waf-Score", "0");
        assertThat(stage.access(x, mode("off"))).isEqualTo(Outcome.proceed());
        assertThat(x.request().headers().contains("X-Waf-Score")).isFalse();
        assertThat(x.ctxValues()).isEmpty();
        FakeExchange kept = get("/").requestHeader("X-Waf-Score", "0");
        stage.access(kept, WafConfig.of("off", null, null, null, null, null, null, null, false));
        assertThat(kept.request().headers().contains("X-Waf-Score")).isTrue();
    }

    @Test
    void jsonBodiesAreWalkedAndBadOnesInspectedAsText() {
        FakeExchange json = get("/api").method("POST")
                .requestHeader("Content-Type", "application/vnd.api+json").requestHeader("Content-Length", "40")
                .body("{\"a\":{\"b\":[\"<script>alert(1)</script>\"]}}".getBytes(StandardCharsets.UTF_8));
        stage.access(json, mode("log"));
        assertThat(json.get(CtxKeys.WAF_MATCHES).orElseThrow()).contains(941100L, 941160L);

        FakeExchange invalid = get("/api").method("POST")
                .requestHeader("Content-Type", "application/json").requestHeader("Content-Length", "9")
                .body("{\"a\":<svg".getBytes(StandardCharsets.UTF_8));
        stage.access(invalid, mode("log"));
        assertThat(invalid.get(CtxKeys.WAF_MATCHES).orElseThrow()).containsExactly(920500L, 941130L);
    }

    @Test
    void bodiesOverTheLimitAreNotInspected() {
        WafConfig c = WafConfig.of("log", null, null, null, 10, null, null, null, null);
        FakeExchange byLength = get("/f").method("POST")
                .requestHeader("Content-Type", "application/x-www-form-urlencoded").requestHeader("Content-Length", "11")
                .body("a=<script>x".getBytes(StandardCharsets.ISO_8859_1));
        stage.access(byLength, c);
        assertThat(byLength.get(CtxKeys.WAF_MATCHES).orElseThrow()).containsExactly(920510L);
        // chunked: no length to go by, the body read decides
        FakeExchange chunked = get("/f").method("POST")
                .requestHeader("Content-Type", "application/x-www-form-urlencoded")
                .requestHeader("Transfer-Encoding", "chunked")
                .body("a=<script>x".getBytes(StandardCharsets.ISO_8859_1));
        stage.access(chunked, c);
        assertThat(chunked.get(CtxKeys.WAF_MATCHES).orElseThrow()).containsExactly(920510L);
    }

    @Test
    void customRulesSeeTransformedValuesOfTheirTargets() {
        WafConfig c = customOnly("block",
                rule("id", 1, "targets", List.of("cookie:Session"), "pattern", "^admin user$", "transforms",
                        List.of("lowercase", "compress_ws"), "score", 5),
                rule("id", 2, "targets", List.of("header:x-debug"), "operator", "absent", "score", 1),
                rule("id", 3, "targets", List.of("content_length"), "operator", "gt", "limit", 10, "methods",
                        List.of("GET"), "score", 1),
                rule("id", 4, "targets", List.of("arg:q"), "operator", "len_gt", "limit", 3, "score", 1),
                rule("id", 5, "targets", List.of("args"), "pattern", "ab", "transforms", List.of("remove_nulls"),
                        "score", 1));
        FakeExchange x = get("/?q=abcd&z=a%00b").requestHeader("Cookie", "x=1; session=ADMIN%20%20+user")
                .requestHeader("Content-Length", "11");
        Outcome o = stage.access(x, c);
        assertThat(x.get(CtxKeys.WAF_MATCHES)).contains(List.of(1L, 2L, 3L, 4L, 5L));
        assertThat(o).isInstanceOf(Outcome.Exit.class);
        // a method the rule does not list, and a value that is not all digits
        FakeExchange post = get("/").method("POST").requestHeader("X-Debug", "1")
                .requestHeader("Content-Length", " 11");
        stage.access(post, c);
        assertThat(post.get(CtxKeys.WAF_MATCHES)).contains(List.of());
    }

    @Test
    void utf8AndAnchoredFlagsOfNgxRe() {
        WafConfig c = customOnly("log",
                rule("id", 1, "targets", List.of("args"), "pattern", "^.$", "flags", "u", "score", 1),
                rule("id", 2, "targets", List.of("args"), "pattern", "^..$", "score", 1),
                rule("id", 3, "targets", List.of("args"), "pattern", "b", "flags", "a", "score", 1),
                rule("id", 4, "targets", List.of("args"), "pattern", "\u00e9", "score", 1));
        FakeExchange x = get("/?q=%C3%A9");
        stage.access(x, c);
        // one character in UTF-8 mode, two bytes without it; the pattern's é is its two bytes
        assertThat(x.get(CtxKeys.WAF_MATCHES)).contains(List.of(1L, 2L, 4L));
        FakeExchange anchored = get("/?q=ab&r=ba");
        stage.access(anchored, c);
        assertThat(anchored.get(CtxKeys.WAF_MATCHES)).contains(List.of(2L, 3L));
    }

    @Test
    void pathologicalValuesFailTheMatchAsGraftsNgxReDoes() {
        // java.util.regex recurses per repetition of 942120's group: a StackOverflowError, which
        // Graft's ngx.re reports as pcre_exec() failed: -8, so the rule does not match
        WafConfig c = WafConfig.of("log", null, null, List.of(
                rule("id", 1, "targets", List.of("args"), "pattern", "^(a+)+$", "score", 1),
                rule("id", 2, "targets", List.of("args"), "operator", "!rx", "pattern", "^(a+)+$", "score", 1)),
                null, null, 100000, null, null);
        FakeExchange deep = get("/?q=union" + "%20".repeat(60000) + "select");
        assertThat(stage.access(deep, c)).isEqualTo(Outcome.proceed());
        assertThat(deep.get(CtxKeys.WAF_MATCHES).orElseThrow()).doesNotContain(942120L).contains(2L);
        // exponential backtracking runs out of the 10 M reads budget: no match for rx, a match for !rx
        FakeExchange slow = get("/?q=" + "a".repeat(40) + "b");
        stage.access(slow, c);
        assertThat(slow.get(CtxKeys.WAF_MATCHES).orElseThrow()).doesNotContain(1L).contains(2L);
    }

    @Test
    void configProblemsAreLoggedOnceAsErrors() {
        WafConfig c = WafConfig.of("blok", null, null, null, null, null, null, null, null);
        FakeExchange first = get("/");
        stage.access(first, c);
        assertThat(first.logLines()).containsExactly(new FakeExchange.LogLine(LogLevel.ERR,
                "waf: mode: blok (expected: block, log or off), using block"));
        FakeExchange second = get("/");
        stage.access(second, c);
        assertThat(second.logLines()).isEmpty();
    }

    @Test
    void moreThan100HeaderLinesGoToLua() {
        FakeExchange x = get("/");
        for (int i = 0; i < 101; i++) {
            x.requestHeader("X-H", Integer.toString(i));
        }
        assertThat(stage.access(x, mode("block"))).isInstanceOf(Outcome.Fallback.class);
        assertThat(x.ctxValues()).isEmpty();
        assertThat(x.request().headers().contains("X-Waf-Score")).isFalse();
    }

    @Test
    void formArgsParseAsNgxDoes() {
        FormArgs a = FormArgs.parse("b=2&a&a=1+1&=x&&c=%zz&a=%41", 0);
        assertThat(a.byName()).containsExactly(Map.entry("b", List.of(Optional.of("2"))),
                Map.entry("a", List.of(Optional.empty(), Optional.of("1 1"), Optional.of("A"))),
                Map.entry("c", List.of(Optional.of("%zz"))));
        List<String> names = new java.util.ArrayList<>();
        List<String> values = new java.util.ArrayList<>();
        assertThat(a.flatten(names, values)).isEqualTo(5);
        assertThat(names).containsExactly("a", "b", "c");
        assertThat(values).containsExactly("1 1", "A", "2", "%zz");
        assertThat(FormArgs.parse("a=1&b=2&c=3", 2).byName()).containsOnlyKeys("a", "b");
    }

    @Test
    void luaTextHelpers() {
        assertThat(LuaText.unescapeUri("a+b%20c%2")).isEqualTo("a b c%2");
        assertThat(LuaText.tonumber(" 12 ")).hasValue(12);
        assertThat(LuaText.tonumber("0x10")).hasValue(16);
        assertThat(LuaText.tonumber("12abc")).isEmpty();
        assertThat(Rules.transform("A\t\n B\0", List.of(WafRule.Transform.LOWERCASE, WafRule.Transform.COMPRESS_WS,
                WafRule.Transform.REMOVE_NULLS))).isEqualTo("a b");
    }
}
