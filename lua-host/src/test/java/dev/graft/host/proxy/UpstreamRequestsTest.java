package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.config.GraftConfig.Server;
import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class UpstreamRequestsTest {

    private static Exchange exchange(String target, String... headers) {
        HttpHeaders h = io.netty.handler.codec.http.DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return Exchange.builder().requestId("0123456789abcdef0123456789abcdef")
                .remote(new InetSocketAddress("127.0.0.1", 5000)).local(new InetSocketAddress("127.0.0.1", 8080))
                .requestUri(target).method("GET").uri(target).headers(h).build();
    }

    private static HttpRequest build(Exchange ex) {
        return UpstreamRequests.build(ex, new Server("127.0.0.1", 1, 1), OptionalLong.empty(), false);
    }

    @Test
    void bug_x_forwarded_host_was_the_raw_host_header_nginx_sends_host() {
        assertThat(build(exchange("/", "Host", "WWW.Example.TEST.:8080")).headers().get("X-Forwarded-Host"))
                .isEqualTo("www.example.test");
        // no Host (HTTP/1.0): $host is the empty server name, and an empty proxy_set_header sends nothing
        HttpRequest none = build(exchange("/"));
        assertThat(none.headers().contains("X-Forwarded-Host")).isFalse();
        assertThat(none.headers().contains("Host")).isFalse();
    }

    @Test
    void bug_headers_nginx_forwards_were_stripped_or_refused() {
        HttpRequest head = build(exchange("/", "Host", "a", "Connection", "close, X-Hop", "X-Hop", "1",
                "Proxy-Connection", "x", "Keep-Alive", "5", "TE", "trailers", "Upgrade", "u", "Expect", "e",
                "X-Ctl", "a\u0001b\u007f"));
        // nginx's proxy module replaces only Connection, Keep-Alive, TE, Upgrade, Expect (and the framing)
        assertThat(head.headers().names()).containsExactlyInAnyOrder("Host", "X-Hop", "Proxy-Connection", "X-Ctl",
                "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Request-Id");
        assertThat(head.headers().get("X-Ctl")).isEqualTo("a\u0001b\u007f");
        // a value a stage set cannot split the head
        assertThat(build(exchange("/", "Host", "a", "X-Lua", "a\r\nX-Evil: 1")).headers().get("X-Lua"))
                .isEqualTo("a%0D%0AX-Evil: 1");
    }

    @Test
    void bug_an_empty_x_forwarded_for_line_was_dropped_nginx_keeps_it() {
        assertThat(UpstreamRequests.forwardedFor(List.of(""), "127.0.0.1")).isEqualTo(", 127.0.0.1");
        assertThat(UpstreamRequests.forwardedFor(List.of("a", "b, c"), "127.0.0.1")).isEqualTo("a, b, c, 127.0.0.1");
        assertThat(UpstreamRequests.forwardedFor(List.of(), "127.0.0.1")).isEqualTo("127.0.0.1");
    }

    @Test
    void bug_non_ascii_target_bytes_were_utf8_encoded_twice_on_the_way_upstream() {
        String raw = new String("/?url=caf\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        String wire = UpstreamRequests.wireTarget(raw).orElseThrow();
        // Netty writes the request line as UTF-8: that must give back the client's bytes
        assertThat(wire.getBytes(StandardCharsets.UTF_8)).isEqualTo(raw.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(UpstreamRequests.wireTarget("/plain")).contains("/plain");
        // invalid UTF-8 cannot go through the encoder: RawTargetBytes writes those bytes
        assertThat(UpstreamRequests.wireTarget("/\u00ff\u00fe")).isEmpty();
    }

    @Test
    void bug_raw_invalid_utf8_target_bytes_were_replaced_on_the_way_upstream() {
        HttpRequest head = build(exchange("/raw\u00ff\u00fe?x=\u00e9", "Host", "a"));
        assertThat(head).isInstanceOf(RawTargetBytes.Request.class);
        io.netty.channel.embedded.EmbeddedChannel ch = new io.netty.channel.embedded.EmbeddedChannel(
                new RawTargetBytes(), new io.netty.handler.codec.http.HttpClientCodec());
        ch.writeOutbound(RawTargetBytes.prepare(ch, head), io.netty.handler.codec.http.LastHttpContent.EMPTY_LAST_CONTENT);
        io.netty.buffer.ByteBuf out = ch.readOutbound();
        String line = out.toString(StandardCharsets.ISO_8859_1);
        out.release();
        assertThat(line).startsWith("GET /raw\u00ff\u00fe?x=\u00e9 HTTP/1.1\r\n");
        // the next request on the connection is written as it is
        Object rest;
        while ((rest = ch.readOutbound()) != null) {
            io.netty.util.ReferenceCountUtil.release(rest);
        }
        ch.writeOutbound(RawTargetBytes.prepare(ch, build(exchange("/plain", "Host", "a"))),
                io.netty.handler.codec.http.LastHttpContent.EMPTY_LAST_CONTENT);
        io.netty.buffer.ByteBuf next = ch.readOutbound();
        assertThat(next.toString(StandardCharsets.ISO_8859_1)).startsWith("GET /plain HTTP/1.1\r\n");
        next.release();
        ch.finishAndReleaseAll();
    }
}
