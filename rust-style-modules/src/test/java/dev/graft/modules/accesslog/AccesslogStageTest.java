package dev.graft.modules.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.modules.testing.FakeExchange;
import dev.graft.modules.testing.FakeExchange.LogLine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The expected lines and numbers below were produced by legacy-scripts/accesslog/handler.lua
 * itself (lua5.1 with a stub ngx), so they pin the Lua module's bytes.
 */
class AccesslogStageTest {

    private final AccesslogStage stage = new AccesslogStage();

    private static FakeExchange proxied() {
        return FakeExchange.get("/api/x?q=1").host("shop.test").requestId("abc").remoteAddress("127.0.0.1")
                .var("bytes_sent", "508").var("request_time", "0.004")
                .var("time_iso8601", "2026-11-27T14:57:37+00:00").var("upstream_addr", "127.0.0.1:8081")
                .var("upstream_status", "200").var("upstream_response_time", "0.003");
    }

    @Test
    void aFullLineHasTheLuaModulesBytes() {
        FakeExchange x = proxied().customer("shop").status(201)
                .ctx(CtxKeys.CUSTOMER, "shop").ctx(CtxKeys.CACHE_KEY, "GET shop.test/api/x?q=1".getBytes(StandardCharsets.US_ASCII))
                .ctx(CtxKeys.CLIENT_IP, "203.0.113.9").ctx(CtxKeys.AUTH_USER, "bob").ctx(CtxKeys.ROUTE, "api")
                .ctx(CtxKeys.RATELIMIT, Map.of("rule", "api", "limit", 10L, "remaining", 9L, "reset", 2L))
                .ctx(CtxKeys.WAF_MATCHES, List.of(942100L, 942190L)).ctx(CtxKeys.WAF_SCORE, 10L)
                .requestHeader("User-Agent", "curl/8.0").requestHeader("Referer", "a").requestHeader("Referer", "b");
        stage.log(x, new AccesslogConfig(Optional.empty(), Optional.of(List.of("User-Agent", "Referer", "X-None")),
                Optional.empty(), Optional.empty()));
        assertThat(x.logLines()).containsExactly(new LogLine(LogLevel.NOTICE, "graft-access "
                + "{\"auth_user\":\"bob\",\"bytes_sent\":508,\"cache_key\":\"GET shop.test/api/x?q=1\","
                + "\"client\":\"127.0.0.1\",\"client_ip\":\"203.0.113.9\",\"customer\":\"shop\","
                + "\"headers\":{\"referer\":[\"a\",\"b\"],\"user-agent\":\"curl/8.0\"},\"host\":\"shop.test\","
                + "\"method\":\"GET\",\"ratelimit\":{\"limit\":10,\"remaining\":9,\"reset\":2,\"rule\":\"api\"},"
                + "\"request_id\":\"abc\",\"request_time\":0.004,\"route\":\"api\",\"status\":201,"
                + "\"time\":\"2026-11-27T14:57:37+00:00\",\"upstream\":\"origin-a\","
                + "\"upstream_addr\":\"127.0.0.1:8081\",\"upstream_status\":\"200\",\"upstream_time\":\"0.003\","
                + "\"uri\":\"/api/x?q=1\",\"waf\":{\"matches\":[942100,942190],\"score\":10}}"));
    }

    /**
     * Parity bug: the line reached {@code StageExchange.log} with ctx text as Java chars and the
     * host then logged the byte-string chars as they were, so the log had double-encoded UTF-8.
     * The line is now the Lua module's bytes, one char per byte, for every field: request text
     * as it is, TEXT ctx values and the customer as their UTF-8 bytes, the cache key's bytes
     * as they are (the host decodes the whole line as ngx.log decodes a Lua string).
     */
    @Test
    void nonAsciiFieldsAreLoggedAsTheLuaModulesBytes() {
        String path = latin1("/café".getBytes(StandardCharsets.UTF_8));
        byte[] key = "GET h/caf%C3%A9?q=é".getBytes(StandardCharsets.UTF_8);
        FakeExchange x = FakeExchange.get(path).host("h").requestId("r").remoteAddress("127.0.0.1").customer("shöp")
                .status(200).ctx(CtxKeys.CACHE_KEY, key).ctx(CtxKeys.AUTH_USER, "zoë").ctx(CtxKeys.ROUTE, "ü")
                .ctx(CtxKeys.RATELIMIT, Map.of("rule", "é"));
        stage.log(x, new AccesslogConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        String expected = "graft-access {\"auth_user\":\"zoë\",\"cache_key\":\"GET h/caf%C3%A9?q=é\","
                + "\"client\":\"127.0.0.1\",\"customer\":\"shöp\",\"host\":\"h\",\"method\":\"GET\","
                + "\"ratelimit\":{\"rule\":\"é\"},\"request_id\":\"r\",\"route\":\"ü\",\"status\":200,"
                + "\"uri\":\"/café\"}";
        assertThat(x.logLines()).extracting(LogLine::message)
                .containsExactly(latin1(expected.getBytes(StandardCharsets.UTF_8)));
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void notProxiedCutAndAtTheConfiguredLevel() {
        FakeExchange x = proxied().customer("c").status(404).var("upstream_addr", "").var("bytes_sent", "x1")
                .ctx(CtxKeys.WAF_MATCHES, List.of());
        stage.log(x, new AccesslogConfig(Optional.of("WARN"), Optional.empty(), Optional.empty(), Optional.of(16)));
        assertThat(x.logLines()).containsExactly(new LogLine(LogLevel.WARN, "graft-access "
                + "{\"client\":\"127.0.0.1\",\"customer\":\"c\",\"host\":\"shop.test\",\"method\":\"GET\","
                + "\"request_id\":\"abc\",\"request_time\":0.004,\"status\":404,\"time\":\"2026-11-27T14:57...\","
                + "\"uri\":\"/api/x?q=1\",\"waf\":{\"matches\":[]}}"));
    }

    @Test
    void badSettingsAreLoggedOnceAndDefaulted() {
        AccesslogConfig c = new AccesslogConfig(Optional.of("loud"), Optional.of("User-Agent"), Optional.empty(),
                Optional.of(3));
        FakeExchange x = proxied();
        stage.log(x, c);
        stage.log(x, c);
        assertThat(x.logLines()).extracting(LogLine::level, LogLine::message).startsWith(
                org.assertj.core.groups.Tuple.tuple(LogLevel.ERR, "accesslog: level: loud (expected: notice, info, warn or err)"),
                org.assertj.core.groups.Tuple.tuple(LogLevel.ERR,
                        "accesslog: request_headers: User-Agent (expected: a list of header names)"),
                org.assertj.core.groups.Tuple.tuple(LogLevel.ERR,
                        "accesslog: max_value_length: 3 (expected: an integer >= 16)"));
        assertThat(x.logLines()).hasSize(5);
        assertThat(x.logLines().get(3).level()).isEqualTo(LogLevel.NOTICE);
    }

    @Test
    void excludedPathsAreNotLogged() {
        FakeExchange x = FakeExchange.get("/healthz/live");
        stage.log(x, new AccesslogConfig(Optional.empty(), Optional.empty(), Optional.of(List.of("", "/healthz")),
                Optional.empty()));
        assertThat(x.logLines()).isEmpty();
    }

    @Test
    void numbersAsTheLuaModulePrintsThem() {
        assertThat(JsonLine.number(0)).isEqualTo("0");
        assertThat(JsonLine.number(-1)).isEqualTo("-1");
        assertThat(JsonLine.number(0.0045)).isEqualTo("0.005");
        assertThat(JsonLine.number(0.0005)).isEqualTo("0.001");
        assertThat(JsonLine.number(1.5)).isEqualTo("1.500");
        assertThat(JsonLine.number(-2.25)).isEqualTo("-2.250");
        assertThat(JsonLine.number(2147483648.0)).isEqualTo("2147483648");
        assertThat(JsonLine.number(9007199254740991.0)).isEqualTo("9007199254740991");
        assertThat(JsonLine.number(9007199254740992.0)).isEqualTo("null");
        assertThat(JsonLine.number(1e300)).isEqualTo("null");
        assertThat(JsonLine.number(Double.NaN)).isEqualTo("null");
        assertThat(JsonLine.number(123.4567)).isEqualTo("123.457");
        assertThat(JsonLine.number(0.9999)).isEqualTo("1.000");
        assertThat(JsonLine.number(1.0 / 3)).isEqualTo("0.333");
    }

    @Test
    void stringsAreEscapedAndCutInBytes() {
        assertThat(JsonLine.string("a\"b\\c\n\r\t\u0001\u007f\u0080\u00c3\u00a9", 256))
                .isEqualTo("\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u007f\u0080\u00c3\u00a9\"");
        assertThat(JsonLine.string("x".repeat(20), 16)).isEqualTo("\"" + "x".repeat(16) + "...\"");
        assertThat(JsonLine.encode(List.of(), 16, 1)).isEqualTo("[]");
        assertThat(JsonLine.encode(Map.of("rule", "api", "limit", 10L, "reset", 2.5), 16, 1))
                .isEqualTo("{\"limit\":10,\"reset\":2.500,\"rule\":\"api\"}");
        assertThat(JsonLine.encode(Map.of("a", Map.of("b", Map.of("c", Map.of("d", 1L)))), 16, 1))
                .isEqualTo("{\"a\":{\"b\":{\"c\":\"...\"}}}");
    }

    @Test
    void varNumbersAreCopiedOnlyWhenNumeric() {
        assertThat(JsonLine.varNumber(Optional.of("1523"))).contains("1523");
        assertThat(JsonLine.varNumber(Optional.of("0.004"))).contains("0.004");
        assertThat(JsonLine.varNumber(Optional.of("12."))).contains("12.");
        assertThat(JsonLine.varNumber(Optional.of("-1"))).isEmpty();
        assertThat(JsonLine.varNumber(Optional.of(""))).isEmpty();
    }
}
