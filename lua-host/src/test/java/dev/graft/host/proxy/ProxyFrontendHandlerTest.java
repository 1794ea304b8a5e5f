package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The frontend on an embedded channel: requests answered by the stages, bytes in and out. */
class ProxyFrontendHandlerTest {

    private StubPipeline pipeline;
    private RecordingMetrics metrics;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        pipeline = new StubPipeline();
        pipeline.onRequest = StubPipeline.respond(200, "hi");
        metrics = new RecordingMetrics();
        channel = new EmbeddedChannel();
        LoopContext loop = new LoopContext(TestConfigs.config(Map.of(), "none", TestConfigs.LIMITS), pipeline,
                new UpstreamPool(channel.eventLoop(), Transport.NIO), metrics, () -> false);
        channel.pipeline().addLast(
                new HttpRequestGuard(),
                new HttpServerCodec(ClientChannelInitializer.decoderConfig(TestConfigs.LIMITS)),
                new RequestDecodeCheck(TestConfigs.LIMITS.maxHeaderCount()),
                new ProxyFrontendHandler(loop));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private String roundTrip(String input) {
        channel.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }

    @Test
    void builds_the_exchange_from_the_head_and_answers_what_the_stages_set() {
        String out = roundTrip("GET /a//b/../c?x=%20 HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").contains("content-length: 2\r\n").endsWith("\r\n\r\nhi");
        assertThat(out).containsPattern("X-Request-Id: [0-9a-f]{32}\r\n");
        Exchange ex = pipeline.logged.get(0);
        assertThat(ex.method()).isEqualTo("GET");
        assertThat(ex.requestUri()).isEqualTo("/a//b/../c?x=%20");
        assertThat(ex.uri()).isEqualTo("/a/c");
        assertThat(ex.args()).contains("x=%20");
        assertThat(ex.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(ex.scheme()).isEqualTo("http");
        assertThat(ex.requestHeaders().get("Host")).isEqualTo("h");
        assertThat(ex.headersSent()).isTrue();
        assertThat(out).contains("X-Request-Id: " + ex.requestId());
        assertThat(pipeline.events).containsExactly("request", "head:200", "log:200");
        assertThat(metrics.served).containsExactly(":200");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void pipelined_requests_get_their_responses_in_order_on_a_kept_alive_connection() {
        pipeline.onRequest = ex -> {
            ex.output().writeBytes(ex.uri().getBytes(StandardCharsets.UTF_8));
            return Verdict.RESPOND;
        };
        String out = roundTrip("GET /one HTTP/1.1\r\nHost: h\r\n\r\nGET /two HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(out.indexOf("/one")).isLessThan(out.indexOf("/two")).isPositive();
        assertThat(out).doesNotContain("connection: close");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void a_body_the_stages_want_is_buffered_before_the_request_phases() {
        pipeline.wantsBody = ex -> true;
        pipeline.onRequest = ex -> {
            ex.output().writeBytes(ex.body().orElseThrow());
            return Verdict.RESPOND;
        };
        String out = roundTrip("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n");
        assertThat(out).endsWith("\r\n\r\nabcdef");
        assertThat(pipeline.events).containsSubsequence("wantsBody", "request");
    }

    @Test
    void a_wanted_body_over_the_limit_is_413_and_closes() {
        pipeline.wantsBody = ex -> true;
        String out = roundTrip("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 999999\r\n\r\n");
        assertThat(out).startsWith("HTTP/1.1 413 ").contains("connection: close");
        assertThat(channel.isOpen()).isFalse();
        assertThat(pipeline.events).doesNotContain("request").contains("log:413");
    }

    @Test
    void expect_continue_is_answered_before_a_wanted_body_is_read() {
        pipeline.wantsBody = ex -> true;
        String interim = roundTrip("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        assertThat(interim).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(roundTrip("ok")).startsWith("HTTP/1.1 200 OK\r\n");
    }

    @Test
    void expect_continue_gets_the_final_status_and_a_close_when_the_body_is_not_needed() {
        String out = roundTrip("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").contains("connection: close").doesNotContain("100 Continue");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void bug_an_unknown_expectation_was_417_nginx_ignores_it() {
        assertThat(roundTrip("POST / HTTP/1.1\r\nHost: h\r\nExpect: magic\r\nContent-Length: 2\r\n\r\nok"))
                .startsWith("HTTP/1.1 200 OK\r\n").doesNotContain("100 Continue");
    }

    @Test
    void a_local_answer_to_head_has_the_length_but_no_body() {
        String out = roundTrip("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(out).contains("content-length: 2\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void an_unknown_upstream_is_502() {
        pipeline.onRequest = ex -> Verdict.PROXY;
        String out = roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(out).startsWith("HTTP/1.1 502 ");
        assertThat(metrics.failures).containsExactly("none:connect");
    }

    @Test
    void a_target_nginx_refuses_is_400_and_closes_without_running_stages() {
        String out = roundTrip("GET /../x HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(out).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close");
        assertThat(channel.isOpen()).isFalse();
        assertThat(pipeline.events).isEmpty();
        assertThat(metrics.served).containsExactly(":400");
    }

    @Test
    void a_guard_rejection_after_a_good_request_answers_both_in_order() {
        String out = roundTrip("GET /ok HTTP/1.1\r\nHost: h\r\n\r\nGET /bad HTTP/1.1\r\nHost: h\r\nA: 1\r\n folded\r\n\r\n");
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\n\r\nhiHTTP/1.1 400 Bad Request\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void a_missing_or_repeated_host_is_400() {
        assertThat(roundTrip("GET / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        channel.finishAndReleaseAll();
        setUp();
        assertThat(roundTrip("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        channel.finishAndReleaseAll();
        setUp();
        assertThat(roundTrip("GET / HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void http_1_0_without_keep_alive_closes_after_the_response() {
        String out = roundTrip("GET / HTTP/1.0\r\n\r\n");
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").contains("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void http_1_0_with_keep_alive_stays_open_and_says_so() {
        String out = roundTrip("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        assertThat(out).contains("connection: keep-alive");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void an_idle_connection_closes_on_the_idle_event_and_on_drain() {
        roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertThat(channel.isOpen()).isFalse();

        channel.finishAndReleaseAll();
        setUp();
        channel.pipeline().fireUserEventTriggered(ProxyFrontendHandler.DRAIN);
        // an idle connection may still send one request for DRAIN_IDLE_MS, then closes
        channel.runPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(ProxyFrontendHandler.DRAIN_IDLE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void a_connection_mid_request_closes_on_the_idle_event_and_logs_499() {
        pipeline.wantsBody = ex -> true;
        roundTrip("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertThat(channel.isOpen()).isFalse();
        assertThat(metrics.served).containsExactly(":499");
    }
}
