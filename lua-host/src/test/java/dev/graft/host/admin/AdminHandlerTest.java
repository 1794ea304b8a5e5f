package dev.graft.host.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminHandlerTest {

    private final MicrometerGraftMetrics metrics = new MicrometerGraftMetrics();
    private final List<AdminRoute> routes = List.of(
            AdminRoute.read(HttpMethod.GET, "/metrics", r -> AdminResponse.text(200, "text/plain", metrics.scrape())),
            AdminRoute.mutating(HttpMethod.POST, "/reload", r -> AdminResponse.json(200, "{\"reloaded\":true}")));

    @AfterEach
    void close() {
        metrics.close();
    }

    private FullHttpResponse call(String token, FullHttpRequest request) {
        EmbeddedChannel ch = new EmbeddedChannel(new AdminHandler(new AdminRouter(routes), token));
        ch.writeInbound(request);
        FullHttpResponse response = ch.readOutbound();
        ch.finishAndReleaseAll();
        return response;
    }

    private static FullHttpRequest request(HttpMethod method, String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    }

    private static String body(FullHttpResponse r) {
        try {
            return r.content().toString(StandardCharsets.UTF_8);
        } finally {
            r.release();
        }
    }

    @Test
    void metricsAreServedInPrometheusFormat() {
        metrics.requestServed("acme", 200);
        metrics.requestServed("acme", 200);
        metrics.upstreamFailure("origin-a", "connect");
        metrics.luaError("waf");
        metrics.budgetStop("waf");
        metrics.upstreamLatency("origin-a", 3_000_000);
        FullHttpResponse r = call("", request(HttpMethod.GET, "/metrics?x=1"));
        assertThat(r.status().code()).isEqualTo(200);
        String text = body(r);
        assertThat(text)
                .contains("graft_requests_total{customer=\"acme\",status=\"200\"} 2.0")
                .contains("graft_upstream_failures_total{kind=\"connect\",upstream=\"origin-a\"} 1.0")
                .contains("graft_lua_errors_total{module=\"waf\"} 1.0")
                .contains("graft_lua_budget_stops_total{module=\"waf\"} 1.0")
                .contains("graft_upstream_latency_seconds_count{upstream=\"origin-a\"} 1")
                .contains("graft_upstream_latency_seconds_bucket{upstream=\"origin-a\",le=\"0.005\"} 1")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() {
        FullHttpResponse missing = call("", request(HttpMethod.GET, "/nope"));
        assertThat(missing.status().code()).isEqualTo(404);
        assertThat(body(missing)).isEqualTo("{\"error\":\"no admin endpoint /nope\"}\n");
        FullHttpResponse wrong = call("", request(HttpMethod.DELETE, "/metrics"));
        assertThat(wrong.status().code()).isEqualTo(405);
        assertThat(wrong.headers().get("Allow")).isEqualTo("GET");
        wrong.release();
    }

    @Test
    void mutatingCallsNeedTheBearerToken() {
        FullHttpResponse none = call("s3cret", request(HttpMethod.POST, "/reload"));
        assertThat(none.status().code()).isEqualTo(401);
        assertThat(none.headers().get("WWW-Authenticate")).isEqualTo("Bearer");
        none.release();

        FullHttpRequest wrongToken = request(HttpMethod.POST, "/reload");
        wrongToken.headers().set("Authorization", "Bearer nope");
        FullHttpResponse wrong = call("s3cret", wrongToken);
        assertThat(wrong.status().code()).isEqualTo(401);
        wrong.release();

        FullHttpRequest good = request(HttpMethod.POST, "/reload");
        good.headers().set("Authorization", "Bearer s3cret");
        FullHttpResponse ok = call("s3cret", good);
        assertThat(ok.status().code()).isEqualTo(200);
        assertThat(body(ok)).isEqualTo("{\"reloaded\":true}\n");
    }

    @Test
    void mutatingCallsAreOffWithoutAConfiguredToken() {
        FullHttpRequest r = request(HttpMethod.POST, "/reload");
        r.headers().set("Authorization", "Bearer ");
        FullHttpResponse response = call("", r);
        assertThat(response.status().code()).isEqualTo(403);
        response.release();
    }

    @Test
    void http10WithoutKeepAliveClosesTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new AdminHandler(new AdminRouter(routes), ""));
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/metrics"));
        FullHttpResponse r = ch.readOutbound();
        assertThat(r.headers().get("Connection")).isEqualTo("close");
        assertThat(ch.isOpen()).isFalse();
        r.release();
        ch.finishAndReleaseAll();
    }
}
