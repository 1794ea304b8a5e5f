package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.config.GraftConfig.Limits;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestDecodeCheckTest {

    private static final Limits LIMITS = new Limits(64, 256, 5, 1024, 1000);

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(
                new HttpServerCodec(ClientChannelInitializer.decoderConfig(LIMITS)),
                new RequestDecodeCheck(LIMITS.maxHeaderCount()));
    }

    private static Object firstAfter(EmbeddedChannel channel, String input) {
        channel.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1));
        return channel.readInbound();
    }

    @Test
    void well_formed_requests_pass() {
        EmbeddedChannel channel = channel();
        Object head = firstAfter(channel, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
        assertThat(head).isInstanceOf(HttpRequest.class);
        HttpContent body = channel.readInbound();
        assertThat(body).isInstanceOf(LastHttpContent.class);
        assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo("hi");
        body.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void a_request_line_over_the_limit_is_414() {
        EmbeddedChannel channel = channel();
        Object out = firstAfter(channel, "GET /" + "a".repeat(100) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(out).isEqualTo(new RequestRejection(414, ((RequestRejection) out).reason()));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void a_header_block_over_the_limit_is_nginx_494() {
        EmbeddedChannel channel = channel();
        Object out = firstAfter(channel, "GET / HTTP/1.1\r\nX-Big: " + "b".repeat(LIMITS.maxHeaderBytes() + 2000) + "\r\n\r\n");
        assertThat(((RequestRejection) out).status()).isEqualTo(494);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void too_many_header_fields_is_nginx_494() {
        EmbeddedChannel channel = channel();
        Object out = firstAfter(channel, "GET / HTTP/1.1\r\nA: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\nF: 1\r\n\r\n");
        assertThat(((RequestRejection) out).status()).isEqualTo(494);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void a_malformed_request_line_is_400() {
        EmbeddedChannel channel = channel();
        Object out = firstAfter(channel, "GET / HTTP/9.Z\r\nHost: x\r\n\r\n");
        assertThat(((RequestRejection) out).status()).isEqualTo(400);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void an_invalid_chunk_size_is_400_after_the_head() {
        EmbeddedChannel channel = channel();
        Object head = firstAfter(channel, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        assertThat(head).isInstanceOf(HttpRequest.class);
        assertThat(((RequestRejection) channel.readInbound()).status()).isEqualTo(400);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void a_guard_rejection_passes_once_and_silences_the_rest() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(new RequestRejection(400, "guard"));
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        assertThat((Object) channel.readInbound()).isEqualTo(new RequestRejection(400, "guard"));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
