package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.config.GraftConfig.Server;
import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class UpstreamRequestsTest {

    private static Exchange exchange(String target, String... headers) {
        DefaultHttpHeaders h = new DefaultHttpHeaders();
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
    void bug_an_empty_x_forwarded_for_line_was_dropped_nginx_keeps_it() {
        assertThat(UpstreamRequests.forwardedFor(List.of(""), "127.0.0.1")).isEqualTo(", 127.0.0.1");
        assertThat(UpstreamRequests.forwardedFor(List.of("a", "b, c"), "127.0.0.1")).isEqualTo("a, b, c, 127.0.0.1");
        assertThat(UpstreamRequests.forwardedFor(List.of(), "127.0.0.1")).isEqualTo("127.0.0.1");
    }

    @Test
    void bug_non_ascii_target_bytes_were_utf8_encoded_twice_on_the_way_upstream() {
        String raw = new String("/?url=caf\u00e9".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        String wire = UpstreamRequests.wireTarget(raw);
        // Netty writes the request line as UTF-8: that must give back the client's bytes
        assertThat(wire.getBytes(StandardCharsets.UTF_8)).isEqualTo(raw.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(UpstreamRequests.wireTarget("/plain")).isEqualTo("/plain");
    }
}
