package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.GraftConfig.Limits;
import dev.graft.host.config.GraftConfig.UpstreamConfig;
import dev.graft.host.exchange.RequestPipeline.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The proxy on loopback between a raw-socket client and a real origin. */
class ProxyEndToEndTest {

    private static TestOrigin origin;
    private static OneShotOrigin oneShot;
    private static int deadPort;

    private StubPipeline pipeline;
    private RecordingMetrics metrics;
    private ProxyServer proxy;

    @BeforeAll
    static void startOrigin() throws IOException {
        origin = new TestOrigin();
        oneShot = new OneShotOrigin();
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
    }

    @AfterAll
    static void stopOrigin() throws IOException {
        origin.close();
        oneShot.close();
    }

    @BeforeEach
    void startProxy() {
        pipeline = new StubPipeline();
        // Routing by path prefix, as a router stage would.
        pipeline.onRequest = ex -> {
            if (ex.uri().startsWith("/dead")) {
                ex.upstream("dead");
            } else if (ex.uri().startsWith("/slow") || ex.uri().equals("/silent")) {
                ex.upstream("slow");
            } else if (ex.uri().startsWith("/oneshot")) {
                ex.upstream("oneshot");
            } else if (ex.uri().startsWith("/brief")) {
                ex.upstream("brief");
            }
            return Verdict.PROXY;
        };
        metrics = new RecordingMetrics();
        proxy = start(TestConfigs.LIMITS);
    }

    private ProxyServer start(Limits limits) {
        Map<String, UpstreamConfig> upstreams = Map.of(
                "origin", TestConfigs.upstream(origin.port(), 2000, 10_000, 60_000),
                "slow", TestConfigs.upstream(origin.port(), 2000, 300, 60_000),
                "brief", TestConfigs.upstream(origin.port(), 2000, 10_000, 150),
                "dead", TestConfigs.upstream(deadPort, 2000, 1000, 60_000),
                "oneshot", TestConfigs.upstream(oneShot.port(), 2000, 5000, 60_000));
        GraftConfig config = TestConfigs.config(upstreams, "origin", limits);
        return ProxyServer.start(config, loop -> pipeline, metrics, Transport.best(), 1);
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    /** Log and metrics run once the response is written, which can be after the client read it. */
    private static void eventually(Runnable assertion) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private RawClient client() {
        return new RawClient(proxy.port());
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: a.test\r\n\r\n";
    }

    @Test
    void proxies_a_request_with_forwarding_headers_and_a_request_id() {
        try (RawClient c = client()) {
            c.send("GET /echo?x=1&y=%20 HTTP/1.1\r\nHost: a.test\r\nX-Forwarded-For: 203.0.113.9\r\nX-Forwarded-For: 10.0.0.1\r\n"
                    + "Connection: keep-alive, X-Hop\r\nX-Hop: secret\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("x-origin")).isEqualTo("test");
            String id = r.header("x-request-id");
            assertThat(id).matches("[0-9a-f]{32}");
            String seen = r.text();
            assertThat(seen).startsWith("GET /echo?x=1&y=%20\n")
                    .contains("x-forwarded-for: 203.0.113.9, 10.0.0.1, 127.0.0.1\n")
                    .contains("x-forwarded-proto: http\n")
                    .contains("x-forwarded-host: a.test\n")
                    .contains("x-request-id: " + id + "\n")
                    .contains("host: a.test\n")
                    // nginx forwards the headers Connection names; it drops Keep-Alive and TE
                    .contains("x-hop: secret\n")
                    .doesNotContain("keep-alive").doesNotContain("te: ");
        }
        eventually(() -> assertThat(pipeline.events).containsExactly("request", "head:200", "log:200"));
        assertThat(pipeline.logged.get(0).uri()).isEqualTo("/echo");
        assertThat(pipeline.logged.get(0).args()).contains("x=1&y=%20");
        eventually(() -> assertThat(metrics.served).containsExactly(":200"));
        assertThat(metrics.latencies).containsExactly("origin");
    }

    @Test
    void sequential_requests_reuse_one_upstream_connection() {
        long before = proxy.upstreamConnectionsOpened();
        try (RawClient c = client()) {
            for (int i = 0; i < 10; i++) {
                c.send(get("/echo/" + i));
                assertThat(c.read().status()).isEqualTo(200);
            }
        }
        for (int i = 0; i < 5; i++) {
            try (RawClient c = client()) {
                c.send(get("/echo/again"));
                assertThat(c.read().status()).isEqualTo(200);
            }
        }
        assertThat(proxy.upstreamConnectionsOpened() - before).isEqualTo(1);
    }

    @Test
    void a_pooled_connection_the_origin_closed_is_not_reused() throws InterruptedException {
        try (RawClient c = client()) {
            c.send(get("/close"));
            assertThat(c.read().text()).isEqualTo("closing");
            Thread.sleep(100);
            c.send(get("/echo"));
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(proxy.upstreamConnectionsOpened()).isEqualTo(2);
        assertThat(metrics.failures).isEmpty();
    }

    @Test
    void a_reused_connection_that_dies_before_answering_is_retried_on_a_new_one() {
        try (RawClient c = client()) {
            c.send(get("/oneshot/1"));
            assertThat(c.read().text()).isEqualTo("ok");
            c.send(get("/oneshot/2"));
            assertThat(c.read().text()).isEqualTo("ok");
        }
        assertThat(proxy.upstreamConnectionsOpened()).isEqualTo(2);
        assertThat(metrics.failures).isEmpty();
    }

    @Test
    void a_post_on_a_reused_connection_that_dies_is_not_sent_twice() {
        try (RawClient c = client()) {
            c.send(get("/oneshot/1"));
            assertThat(c.read().text()).isEqualTo("ok");
            c.send("POST /oneshot/2 HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(502);
        }
        assertThat(metrics.failures).containsExactly("oneshot:reset");
    }

    @Test
    void idle_pooled_connections_expire() throws InterruptedException {
        try (RawClient c = client()) {
            c.send(get("/brief/1"));
            assertThat(c.read().status()).isEqualTo(404);
            Thread.sleep(600);
            c.send(get("/brief/2"));
            assertThat(c.read().status()).isEqualTo(404);
        }
        assertThat(proxy.upstreamConnectionsOpened()).isEqualTo(2);
    }

    @Test
    void servers_of_an_upstream_are_chosen_by_weight() {
        try (TestOrigin heavy = new TestOrigin(); TestOrigin light = new TestOrigin()) {
            proxy.close();
            UpstreamConfig weighted = new UpstreamConfig(java.util.List.of(
                    new GraftConfig.Server("127.0.0.1", heavy.port(), 3),
                    new GraftConfig.Server("127.0.0.1", light.port(), 1)), 2000, 10_000, 60_000, 8);
            proxy = ProxyServer.start(TestConfigs.config(Map.of("origin", weighted), "origin", TestConfigs.LIMITS),
                    loop -> pipeline, metrics, Transport.best(), 1);
            try (RawClient c = client()) {
                for (int i = 0; i < 8; i++) {
                    c.send(get("/echo/" + i));
                    assertThat(c.read().status()).isEqualTo(200);
                }
            }
            assertThat(heavy.requests).hasValue(6);
            assertThat(light.requests).hasValue(2);
        }
    }

    @Test
    void a_reload_applies_to_the_next_request_of_an_open_connection() {
        try (TestOrigin other = new TestOrigin(); RawClient c = client()) {
            c.send(get("/echo/before"));
            assertThat(c.read().status()).isEqualTo(200);
            StubPipeline reloaded = new StubPipeline();
            proxy.reload(TestConfigs.config(Map.of("other", TestConfigs.upstream(other.port(), 2000, 10_000, 60_000)),
                    "other", TestConfigs.LIMITS), loop -> reloaded, metrics);
            c.send(get("/echo/after"));
            assertThat(c.read().text()).startsWith("GET /echo/after\n");
            assertThat(other.requests).hasValue(1);
            eventually(() -> assertThat(reloaded.events).containsExactly("request", "head:200", "log:200"));
        }
    }

    @Test
    void pipelined_requests_are_answered_in_order() {
        try (RawClient c = client()) {
            c.send(get("/echo/1") + get("/status/201") + get("/echo/3"));
            assertThat(c.read().text()).startsWith("GET /echo/1\n");
            assertThat(c.read().status()).isEqualTo(201);
            assertThat(c.read().text()).startsWith("GET /echo/3\n");
        }
    }

    @Test
    void refused_connect_is_502_with_the_request_id_and_the_connection_stays_usable() {
        try (RawClient c = client()) {
            c.send(get("/dead/x"));
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.text()).contains(r.header("x-request-id"));
            c.send(get("/echo"));
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(metrics.failures).containsExactly("dead:refused");
        eventually(() -> assertThat(pipeline.events).containsSubsequence("head:502", "log:502"));
    }

    @Test
    void a_connect_that_times_out_is_504() throws IOException {
        // A listener whose accept queue is full drops SYNs on Linux, so connects hang.
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.List<java.net.Socket> fillers = new java.util.ArrayList<>();
            boolean hangs = false;
            try {
                for (int i = 0; i < 16 && !hangs; i++) {
                    java.net.Socket s = new java.net.Socket();
                    fillers.add(s);
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                    } catch (java.net.SocketTimeoutException e) {
                        hangs = true;
                    }
                }
                org.junit.jupiter.api.Assumptions.assumeTrue(hangs, "the kernel does not drop SYNs on a full backlog");
                proxy.close();
                Map<String, UpstreamConfig> upstreams = Map.of(
                        "origin", TestConfigs.upstream(full.getLocalPort(), 300, 1000, 60_000));
                proxy = ProxyServer.start(TestConfigs.config(upstreams, "origin", TestConfigs.LIMITS),
                        loop -> pipeline, metrics, Transport.best(), 1);
                try (RawClient c = client()) {
                    c.send(get("/x"));
                    RawClient.Response r = c.read();
                    assertThat(r.status()).isEqualTo(504);
                    assertThat(r.text()).contains(r.header("x-request-id"));
                }
                assertThat(metrics.failures).containsExactly("origin:timeout");
            } finally {
                for (java.net.Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void an_origin_that_never_answers_is_504_and_the_connection_stays_usable() {
        try (RawClient c = client()) {
            c.send(get("/silent"));
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.text()).contains(r.header("x-request-id"));
            c.send(get("/echo"));
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(metrics.failures).containsExactly("slow:timeout");
    }

    @Test
    void a_reset_after_the_response_head_closes_the_client_connection() {
        try (RawClient c = client()) {
            c.send(get("/reset"));
            assertThatThrownBy(c::read).isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing");
        }
        eventually(() -> assertThat(metrics.failures).containsExactly("origin:reset"));
        eventually(() -> assertThat(pipeline.events).contains("log:200"));
    }

    @Test
    void a_response_that_is_not_http_is_502() {
        try (RawClient c = client()) {
            c.send(get("/garbage"));
            assertThat(c.read().status()).isEqualTo(502);
            c.send(get("/echo"));
            assertThat(c.read().status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\nabc\r\n0\r\n\r\n",
            "GET /echo HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n folded: yes\r\n\r\n",
            "GET /echo HTTP/1.1\nHost: a\n\n",
            "GET /echo HTTP/1.1\r\nHost: a\rX: 1\r\n\r\n",
            "GET /echo HTTP/1.1\r\nHost : a\r\n\r\n",
            "GET /../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /a%00b HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /echo HTTP/1.1 extra\r\nHost: a\r\n\r\n",
            "NOT-HTTP\r\n\r\n",
    })
    void malformed_and_smuggling_prone_requests_are_400_and_close(String request) {
        int before = origin.requests.get();
        try (RawClient c = client()) {
            c.send(request);
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(origin.requests.get()).isEqualTo(before);
        assertThat(metrics.served).containsExactly(":400");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
    })
    void bug_an_unknown_transfer_encoding_was_400_nginx_answers_501_and_closes(String request) {
        int before = origin.requests.get();
        try (RawClient c = client()) {
            c.send(request);
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(501);
            assertThat(r.header("content-type")).isEqualTo("text/html");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(origin.requests.get()).isEqualTo(before);
    }

    @Test
    void a_request_line_over_the_limit_is_414() {
        try (RawClient c = client()) {
            c.send(get("/" + "a".repeat(2000)));
            assertThat(c.read().status()).isEqualTo(414);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void bug_a_header_over_the_limit_was_431_text_nginx_sends_its_400_too_large_page() {
        try (RawClient c = client()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(5000) + "\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("content-type")).isEqualTo("text/html");
            assertThat(new String(r.body(), java.nio.charset.StandardCharsets.US_ASCII))
                    .contains("<title>400 Request Header Or Cookie Too Large</title>")
                    .contains("<h1>400 Bad Request</h1>");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(pipeline.events).doesNotContain("request").noneMatch(e -> e.startsWith("head:") || e.startsWith("log:"));
    }

    @Test
    void bug_refusals_were_text_plain_nginx_sends_its_html_page_without_running_phases() {
        try (RawClient c = client()) {
            c.send("TRACE / HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.header("content-type")).isEqualTo("text/html");
            assertThat(new String(r.body(), java.nio.charset.StandardCharsets.US_ASCII))
                    .startsWith("<html>\r\n<head><title>405 Not Allowed</title></head>");
        }
        assertThat(pipeline.events).noneMatch(e -> e.startsWith("request") || e.startsWith("head:") || e.startsWith("log:"));
    }

    @Test
    void too_many_headers_is_400_too_large() {
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 60; i++) {
            request.append("X-").append(i).append(": 1\r\n");
        }
        try (RawClient c = client()) {
            c.send(request.append("\r\n").toString());
            assertThat(c.read().status()).isEqualTo(400);
        }
    }

    @Test
    void a_buffered_body_over_the_limit_is_413_by_length_or_as_it_streams() {
        pipeline.wantsBody = ex -> true;
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(413);
            assertThat(c.closedByPeer()).isTrue();
        }
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "a".repeat(40_000);
            c.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            c.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            assertThat(c.read().status()).isEqualTo(413);
        }
        assertThat(pipeline.events).doesNotContain("request");
    }

    @Test
    void a_refused_body_sent_without_waiting_still_gets_its_413() {
        pipeline.wantsBody = ex -> true;
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3000000\r\n\r\n");
            c.send(new byte[3_000_000]);
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void a_buffered_body_reaches_the_stages_and_their_changes_reach_the_origin() {
        pipeline.wantsBody = ex -> true;
        pipeline.onRequest = ex -> {
            String body = new String(ex.body().orElseThrow(), StandardCharsets.UTF_8);
            ex.body((body + "-changed").getBytes(StandardCharsets.UTF_8));
            return Verdict.PROXY;
        };
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
            String seen = c.read().text();
            assertThat(seen).contains("content-length: 13\n").doesNotContain("transfer-encoding").endsWith("abcde-changed");
        }
    }

    @Test
    void streamed_bodies_keep_their_framing_chunked_or_fixed() {
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
            assertThat(c.read().text()).contains("transfer-encoding: chunked\n").endsWith("abcde");
            c.send("PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nwxyz");
            assertThat(c.read().text()).startsWith("PUT /echo\n").contains("content-length: 4\n").endsWith("wxyz");
            c.send("GET /download?n=100000&chunked HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.body()).hasSize(100_000);
            assertThat(r.body()[99_999]).isEqualTo(TestOrigin.pattern(99_999));
        }
    }

    @Test
    void a_changed_uri_is_escaped_for_the_origin() {
        pipeline.onRequest = ex -> {
            // $uri holds one char per byte: these two chars are the UTF-8 bytes of "é"
            ex.uri("/echo/new path/\u00c3\u00a9");
            ex.args("a=1");
            return Verdict.PROXY;
        };
        try (RawClient c = client()) {
            c.send(get("/old"));
            assertThat(c.read().text()).startsWith("GET /echo/new%20path/%C3%A9?a=1\n");
        }
    }

    @Test
    void head_204_and_304_have_no_body_and_keep_the_connection_in_step() {
        try (RawClient c = client()) {
            c.send("HEAD /echo HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response head = c.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isNotNull();
            c.send(get("/status/204"));
            RawClient.Response noContent = c.read();
            assertThat(noContent.status()).isEqualTo(204);
            assertThat(noContent.header("content-length")).isNull();
            assertThat(noContent.header("transfer-encoding")).isNull();
            c.send(get("/status/304"));
            assertThat(c.read().status()).isEqualTo(304);
            c.send(get("/echo/after"));
            assertThat(c.read().text()).startsWith("GET /echo/after\n");
        }
    }

    @Test
    void a_local_head_response_has_the_length_but_no_body() {
        pipeline.onRequest = StubPipeline.respond(200, "hello");
        try (RawClient c = client()) {
            c.send("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read(true);
            assertThat(r.header("content-length")).isEqualTo("5");
            c.send(get("/x"));
            assertThat(c.read().text()).isEqualTo("hello");
        }
    }

    @Test
    void expect_100_continue_is_answered_by_the_proxy_and_not_forwarded() {
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(100);
            c.send("hello");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).doesNotContain("expect").endsWith("hello");
        }
    }

    @Test
    void expect_100_continue_gets_the_final_status_when_a_stage_answers_first() {
        pipeline.onRequest = StubPipeline.respond(403, "no");
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void expect_100_continue_with_a_buffered_body() {
        pipeline.wantsBody = ex -> true;
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(100);
            c.send("xyz");
            assertThat(c.read().text()).endsWith("xyz");
        }
    }

    @Test
    void local_responses_run_header_filter_body_filter_and_log() {
        pipeline.onRequest = StubPipeline.respond(201, "hello");
        pipeline.onHead = ex -> ex.responseHeaders().set("X-Filtered", "yes");
        pipeline.filters = true;
        pipeline.bodyFilter = chunk -> new String(chunk, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8);
        try (RawClient c = client()) {
            c.send(get("/x"));
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.header("x-filtered")).isEqualTo("yes");
            assertThat(r.text()).isEqualTo("HELLO");
            assertThat(r.header("content-length")).isEqualTo("5");
        }
        eventually(() -> assertThat(pipeline.events).containsExactly("request", "head:201", "body:last", "log:201"));
    }

    @Test
    void proxied_responses_pass_through_header_and_body_filters() {
        pipeline.onHead = ex -> {
            ex.status(203);
            ex.responseHeaders().remove("X-Origin");
        };
        pipeline.filters = true;
        pipeline.bodyFilter = chunk -> new String(chunk, StandardCharsets.ISO_8859_1).replace("status", "STATUS")
                .getBytes(StandardCharsets.ISO_8859_1);
        try (RawClient c = client()) {
            c.send(get("/status/200"));
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(203);
            assertThat(r.header("x-origin")).isNull();
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.text()).isEqualTo("STATUS 200");
        }
        eventually(() -> assertThat(pipeline.events).containsSubsequence("head:200", "body:last", "log:203"));
    }

    @Test
    void an_origin_answering_before_the_body_ends_leaves_the_client_connection_usable() {
        try (RawClient c = client()) {
            c.send("POST /early HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n");
            c.send(new byte[2_000_000]);
            assertThat(c.read().text()).isEqualTo("early");
            c.send(get("/echo/next"));
            assertThat(c.read().text()).startsWith("GET /echo/next\n");
        }
    }

    @Test
    void idle_clients_are_closed() {
        proxy.close();
        proxy = start(new Limits(1024, 4096, 50, 1024, 200));
        try (RawClient c = client()) {
            c.send(get("/echo"));
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void http_1_0_clients_get_a_close_delimited_body_when_the_length_is_unknown() {
        try (RawClient c = client()) {
            c.send("GET /download?n=1000&chunked HTTP/1.0\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(r.body()).hasSize(1000);
        }
    }

    @Test
    void draining_closes_idle_connections_and_completes() throws Exception {
        try (RawClient c = client()) {
            c.send(get("/echo"));
            assertThat(c.read().status()).isEqualTo(200);
            proxy.drain(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void a_throwing_stage_is_contained_as_500() {
        pipeline.onRequest = ex -> {
            throw new IllegalStateException("bug in a stage");
        };
        try (RawClient c = client()) {
            c.send(get("/x"));
            assertThat(c.read().status()).isEqualTo(500);
            c.send(get("/y"));
            assertThat(c.read().status()).isEqualTo(500);
        }
    }
}
