package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
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
        // as the client codec builds them: names unvalidated (the guard and RequestHeads judge them)
        HttpRequest req = new DefaultHttpRequest(version, method, target,
                DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders());
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
        assertThat(cur.keepAlive).isTrue();
        assertThat(cur.headRequest).isFalse();
    }

    @Test
    void chunked_head_and_http_1_0_facts() {
        InFlightRequest chunked = ((RequestHeads.Accepted) RequestHeads.read(request(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/",
                "Host", "h", "Transfer-Encoding", "chunked", "Expect", "x"), CLIENT, SERVER)).request();
        assertThat(chunked.chunked).isTrue();
        assertThat(chunked.hasBody).isTrue();
        assertThat(chunked.expectContinue).isFalse();
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

    private static int refusedStatus(HttpRequest req) {
        return ((RequestHeads.Refused) RequestHeads.read(req, CLIENT, SERVER)).status();
    }

    private static Exchange accepted(HttpRequest req) {
        return ((RequestHeads.Accepted) RequestHeads.read(req, CLIENT, SERVER)).request().exchange;
    }

    @Test
    void bug_lower_case_method_was_accepted_nginx_answers_400() {
        assertThat(refusedStatus(request(HttpVersion.HTTP_1_1, HttpMethod.valueOf("get"), "/", "Host", "a"))).isEqualTo(400);
        assertThat(accepted(request(HttpVersion.HTTP_1_1, HttpMethod.valueOf("MY_METHOD-X"), "/", "Host", "a")).method())
                .isEqualTo("MY_METHOD-X");
    }

    @Test
    void bug_trace_was_proxied_nginx_answers_405_after_checking_the_headers() {
        assertThat(refusedStatus(request(HttpVersion.HTTP_1_1, HttpMethod.TRACE, "/", "Host", "a"))).isEqualTo(405);
        assertThat(refusedStatus(request(HttpVersion.HTTP_1_1, HttpMethod.TRACE, "/", "Host", "a",
                "If-None-Match", "*", "If-None-Match", "*"))).isEqualTo(400);
    }

    @Test
    void bug_repeated_unique_headers_were_accepted_nginx_answers_400() {
        for (String name : new String[]{"Authorization", "if-none-match", "If-Match", "If-Modified-Since", "Expect"}) {
            assertThat(refusedStatus(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", "Host", "a",
                    name, "x", name.toUpperCase(java.util.Locale.ROOT), "x"))).as(name).isEqualTo(400);
        }
        // nginx 1.22 keeps every Origin, Cookie, Referer and X-Forwarded-For line
        Exchange ex = accepted(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", "Host", "a",
                "Origin", "o1", "Origin", "o2", "Cookie", "a=1", "Cookie", "b=2", "Referer", "r", "Referer", "r"));
        assertThat(ex.requestHeaders().getAll("Origin")).containsExactly("o1", "o2");
    }

    @Test
    void bug_header_names_with_underscores_or_other_bytes_reached_the_stages_nginx_ignores_them() {
        Exchange ex = accepted(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", "Host", "a",
                "X_Scanner", "1", "X.Dot", "2", "X@At", "3", "X-Fine-9", "4", "X\u00e9", "5"));
        assertThat(ex.requestHeaders().names()).containsExactlyInAnyOrder("Host", "X-Fine-9");
        // an ignored header does not count as a repeat either
        assertThat(accepted(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", "Host", "a",
                "Authorization", "a", "Authorization_", "b")).requestHeaders().get("Authorization")).isEqualTo("a");
    }

    @Test
    void bug_host_nginx_refuses_was_accepted_and_absolute_form_host_was_ignored() {
        for (String host : new String[]{"", "a..b", "a/b", ":80", "a b"}) {
            assertThat(refusedStatus(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", "Host", host))).as(host).isEqualTo(400);
        }
        assertThat(accepted(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", "Host", "Trailing.Dot.")).requestLineHost())
                .isEmpty();
        // absolute form: the request line's host is $host; nginx's request-line parser refuses '_' in it
        Exchange ex = accepted(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "http://Abs.Test:81/p?q", "Host", "other"));
        assertThat(ex.requestLineHost()).contains("abs.test");
        assertThat(ex.uri()).isEqualTo("/p");
        assertThat(refusedStatus(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "http://a_b.test/p", "Host", "other")))
                .isEqualTo(400);
    }

    @Test
    void bug_uri_was_decoded_as_utf8_it_keeps_one_char_per_byte() {
        Exchange ex = accepted(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/caf%C3%A9/%c0%ae", "Host", "a"));
        assertThat(ex.uri()).isEqualTo("/caf\u00c3\u00a9/\u00c0\u00ae");
    }

    @Test
    void bug_http_2_0_in_a_request_line_was_served_nginx_answers_505() {
        assertThat(refusedStatus(request(HttpVersion.valueOf("HTTP/2.0"), HttpMethod.GET, "/", "Host", "a"))).isEqualTo(505);
        assertThat(accepted(request(HttpVersion.valueOf("HTTP/1.2"), HttpMethod.GET, "/", "Host", "a")).uri()).isEqualTo("/");
    }

    @Test
    void bug_absolute_form_took_only_http_schemes_and_lost_a_query_right_after_the_host() {
        Exchange ftp = accepted(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "ftp://A/x", "Host", "b"));
        assertThat(ftp.requestLineHost()).contains("a");
        assertThat(ftp.uri()).isEqualTo("/x");
        Exchange query = accepted(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "http://a?x=1", "Host", "b"));
        assertThat(query.uri()).isEqualTo("/");
        assertThat(query.args()).contains("x=1");
    }
}
