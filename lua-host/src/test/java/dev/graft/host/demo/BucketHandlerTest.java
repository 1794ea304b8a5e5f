package dev.graft.host.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BucketHandlerTest {

    private final EmbeddedChannel ch = new EmbeddedChannel(new BucketHandler("bucket", BucketStore.seeded(),
            Clock.fixed(Instant.parse("2026-02-03T04:05:06Z"), ZoneOffset.UTC)));

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    private FullHttpResponse call(FullHttpRequest request) {
        ch.writeInbound(request);
        return ch.readOutbound();
    }

    private static FullHttpRequest get(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    private static String text(FullHttpResponse r) {
        try {
            return r.content().toString(StandardCharsets.UTF_8);
        } finally {
            r.release();
        }
    }

    @Test
    void servesASeededObjectWithValidators() {
        FullHttpResponse r = call(get("/assets/site.css?v=3"));
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.headers().get("Content-Type")).isEqualTo("text/css");
        assertThat(r.headers().get("Last-Modified")).isEqualTo("Wed, 01 Jan 2025 00:00:00 GMT");
        assertThat(r.headers().get("ETag")).matches("\"[0-9a-f]{16}\"");
        assertThat(text(r)).isEqualTo("body { font-family: sans-serif; margin: 2em; }\n");
    }

    @Test
    void ifNoneMatchGives304() {
        FullHttpResponse first = call(get("/docs/readme.txt"));
        String etag = first.headers().get("ETag");
        first.release();
        FullHttpRequest again = get("/docs/readme.txt");
        again.headers().set("If-None-Match", "\"other\", " + etag);
        FullHttpResponse r = call(again);
        assertThat(r.status().code()).isEqualTo(304);
        assertThat(r.headers().get("ETag")).isEqualTo(etag);
        assertThat(text(r)).isEmpty();
    }

    @Test
    void aMissingObjectIsAn404XmlError() {
        FullHttpResponse r = call(get("/assets/nope.png"));
        assertThat(r.status().code()).isEqualTo(404);
        assertThat(r.headers().get("Content-Type")).isEqualTo("application/xml");
        assertThat(text(r)).contains("<Code>NoSuchKey</Code><Key>/assets/nope.png</Key>");
    }

    @Test
    void putStoresAnObjectThatGetThenServes() {
        FullHttpRequest put = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/uploads/a.txt",
                Unpooled.copiedBuffer("stored!", StandardCharsets.UTF_8));
        put.headers().set("Content-Type", "text/plain");
        FullHttpResponse stored = call(put);
        assertThat(stored.status().code()).isEqualTo(200);
        stored.release();
        FullHttpResponse r = call(get("/uploads/a.txt"));
        assertThat(r.headers().get("Last-Modified")).isEqualTo("Tue, 03 Feb 2026 04:05:06 GMT");
        assertThat(text(r)).isEqualTo("stored!");
    }

    @Test
    void headHasHeadersButNoBody() {
        FullHttpResponse r = call(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/assets/logo.txt"));
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.headers().getInt("Content-Length")).isGreaterThan(0);
        assertThat(text(r)).isEmpty();
    }

    @Test
    void otherMethodsAre405() {
        FullHttpResponse r = call(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.DELETE, "/assets/logo.txt"));
        assertThat(r.status().code()).isEqualTo(405);
        assertThat(r.headers().get("Allow")).isEqualTo("GET, HEAD, PUT");
        r.release();
    }
}
