package dev.graft.host.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.GraftServer;
import dev.graft.host.config.GraftConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A mode change is a config change applied live: the running server serves the test probe from
 * Lua, a reload with the probe (and guard) in Java serves it from Java on the native path, and
 * a reload back to Lua rolls it back.
 */
class BridgeReloadTest {

    static String get(InetSocketAddress proxy) throws IOException {
        try (Socket s = new Socket(proxy.getAddress(), proxy.getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET /x HTTP/1.1\r\nHost: a.test\r\nX-Content: 1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void switchingAModeAndBackIsAReload() throws Exception {
        GraftConfig lua = BridgeDispatchTest.config("{}");
        GraftConfig java = BridgeDispatchTest.config("{\"probe\": {\"mode\": \"java\"}, \"guard\": {\"mode\": \"java\"}}");
        try (GraftServer server = GraftServer.start(lua, GraftServer.Options.ephemeral())) {
            assertThat(get(server.proxyAddress())).contains("lua content\n+lua");

            assertThat(server.reload(java)).isInstanceOf(GraftServer.Reload.Applied.class);
            assertThat(get(server.proxyAddress())).contains("java content\n+java");
            assertThat(server.metrics().scrape()).contains("graft_native_requests_total 1.0");

            assertThat(server.reload(lua)).isInstanceOf(GraftServer.Reload.Applied.class);
            assertThat(get(server.proxyAddress())).contains("lua content\n+lua");
        }
    }
}
