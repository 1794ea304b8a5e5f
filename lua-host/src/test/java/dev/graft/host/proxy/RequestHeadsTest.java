package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class RequestHeadsTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 8080);

    private static HttpRequest request(HttpVersion version, HttpMethod method, String target, String... headers) {
        HttpRequest req = new DefaultHttpRequest(version, method, target);
        for (int i = 0; i < headers.length; i += 2) {
            req.headers().add(headers[i], headers[i + 1]);
        }
        return req;
    }

    @Test
    void builds_the_exchange_and_the_framing_facts() {
        HttpRequest req = request(HttpVersion.HTTP_1_1, HttpMethod.POST, "/a/./b%20c?q=1",
                "Host", "h", "Content-Length", "7", "Expect", "100-continue");
        InFlightRequest cur = ((RequestHeads.Accepted) RequestHeads.read(req, CLIENT, SERVER)).request();
        Exchange ex = cur.exchange;
        assertThat(ex.requestId()).matches("[0-9a-f]{32}");
        assertThat(ex.method()).isEqualTo("POST");
        assertThat(ex.requestUri()).isEqualTo("/a/./b%20c?q=1");
        assertThat(ex.uri()).isEqualTo("/a/b c");
        assertThat(ex.args()).contains("q=1");
        assertThat(ex.remote()).isEqualTo(CLIENT);
        assertThat(ex.local()).isEqualTo(SERVER);
        assertThat(ex.requestHeaders()).isSameAs(req.headers());
        assertThat(ex.uriChanged()).isFalse();
        assertThat(cur.hasBody).isTrue();
        assertThat(cur.contentLength).isEqualTo(7);
        assertThat(cur.expectContinue).isTrue();
        assertThat(cur.unsupportedExpectation).isFalse();
        assertThat(cur.keepAlive).isTrue();
        assertThat(cur.headRequest).isFalse();
    }

    @Test
    void chunked_head_and_http_1_0_facts() {
        InFlightRequest chunked = ((RequestHeads.Accepted) RequestHeads.read(request(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/",
                "Host", "h", "Transfer-Encoding", "chunked", "Expect", "x"), CLIENT, SERVER)).request();
        assertThat(chunked.chunked).isTrue();
        assertThat(chunked.hasBody).isTrue();
        assertThat(chunked.unsupportedExpectation).isTrue();
        InFlightRequest head = ((RequestHeads.Accepted) RequestHeads.read(
                request(HttpVersion.HTTP_1_0, HttpMethod.HEAD, "/"), CLIENT, SERVER)).request();
        assertThat(head.headRequest).isTrue();
        assertThat(head.hasBody).isFalse();
        assertThat(head.keepAlive).isFalse();
        assertThat(head.expectContinue).isFalse();
    }

    @Test
    void refuses_what_nginx_answers_400() {
        assertThat(RequestHeads.read(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"), CLIENT, SERVER))
                .isInstanceOf(RequestHeads.Refused.class);
        assertThat(RequestHeads.read(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", "Host", "a", "Host", "b"), CLIENT, SERVER))
                .isInstanceOf(RequestHeads.Refused.class);
        assertThat(RequestHeads.read(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/../x", "Host", "a"), CLIENT, SERVER))
                .isInstanceOf(RequestHeads.Refused.class);
    }
}
