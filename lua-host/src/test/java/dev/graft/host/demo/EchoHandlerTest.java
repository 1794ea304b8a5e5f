package dev.graft.host.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EchoHandlerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Raw bytes in, the raw response out, through the real codec. */
    private static String exchange(EmbeddedChannel ch, String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out.toString();
    }

    private static JsonNode body(String response) throws Exception {
        return JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void echoesTheRequestAsReceived() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new EchoHandler("origin-a"));
        String response = exchange(ch, "POST /a%20b/../c?x=1&x=2 HTTP/1.1\r\nHost: acme.test\r\n"
                + "X-Tag: one\r\nx-tag: two\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("content-type: application/json\r\n");
        JsonNode o = body(response);
        assertThat(o.get("server").asText()).isEqualTo("origin-a");
        assertThat(o.get("method").asText()).isEqualTo("POST");
        assertThat(o.get("path").asText()).isEqualTo("/a%20b/../c?x=1&x=2");
        assertThat(o.get("http_version").asText()).isEqualTo("HTTP/1.1");
        assertThat(o.get("headers").get("host").asText()).isEqualTo("acme.test");
        assertThat(o.get("headers").get("x-tag")).hasSize(2);
        assertThat(o.get("headers").get("x-tag").get(1).asText()).isEqualTo("two");
        assertThat(o.get("body").asText()).isEqualTo("hello");
        assertThat(o.get("body_bytes").asLong()).isEqualTo(5);
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void countsABigChunkedBodyButEchoesOnly64KiB() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new EchoHandler("origin-b"));
        StringBuilder req = new StringBuilder("PUT /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = "a".repeat(40_000);
        for (int i = 0; i < 3; i++) {
            req.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        req.append("0\r\n\r\n");
        JsonNode o = body(exchange(ch, req.toString()));
        assertThat(o.get("body_bytes").asLong()).isEqualTo(120_000);
        assertThat(o.get("body").asText()).hasSize(EchoHandler.ECHOED_BODY_BYTES);
        ch.finishAndReleaseAll();
    }

    @Test
    void servesTwoRequestsOnOneConnectionAndClosesOnConnectionClose() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new EchoHandler("origin-a"));
        assertThat(body(exchange(ch, "GET /one HTTP/1.1\r\nHost: x\r\n\r\n")).get("path").asText()).isEqualTo("/one");
        String second = exchange(ch, "GET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(body(second).get("path").asText()).isEqualTo("/two");
        assertThat(second).contains("connection: close\r\n");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }
}
