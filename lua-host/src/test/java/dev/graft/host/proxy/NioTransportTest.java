package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.config.GraftConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same proxy on the NIO transport, the fallback where native epoll does not load. */
class NioTransportTest {

    @Test
    void proxies_keeps_alive_and_streams_on_nio() {
        try (TestOrigin origin = new TestOrigin()) {
            GraftConfig config = TestConfigs.config(
                    Map.of("origin", TestConfigs.upstream(origin.port(), 2000, 10_000, 60_000)), "origin", TestConfigs.LIMITS);
            ProxyServer proxy = ProxyServer.start(config, loop -> new StubPipeline(), new RecordingMetrics(), Transport.NIO, 1);
            try (RawClient c = new RawClient(proxy.port())) {
                assertThat(proxy.transport()).isEqualTo("nio");
                c.send("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.read().text()).startsWith("GET /echo\n");
                c.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 3000000\r\n\r\n");
                c.send(new byte[3_000_000]);
                assertThat(c.read().text()).startsWith("bytes=3000000 ");
                c.send("GET /download?n=5000000 HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.read().body()).hasSize(5_000_000);
                assertThat(proxy.upstreamConnectionsOpened()).isEqualTo(1);
            } finally {
                proxy.close();
            }
        }
    }
}
