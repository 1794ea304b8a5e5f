package dev.graft.tests.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RawHttpClientTest {

    private static InputStream wire(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static RawResponse answered(ClientResult r) {
        assertThat(r).isInstanceOf(ClientResult.Answered.class);
        return ((ClientResult.Answered) r).response();
    }

    @Test
    void readsALengthDelimitedBodyAndKeepsRepeatedHeadersInOrder() throws IOException {
        RawResponse r = answered(RawHttpClient.read(wire(
                "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nContent-Length: 5\r\nSet-Cookie: b=2\r\n\r\nhello-extra"), false));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.values("set-cookie")).containsExactly("a=1", "b=2");
        assertThat(r.bodyText()).isEqualTo("hello");
    }

    @Test
    void dechunksAndSkipsTrailers() throws IOException {
        RawResponse r = answered(RawHttpClient.read(wire(
                "HTTP/1.1 418 I'm a teapot\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;ext=1\r\nshort\r\n6\r\n stout\r\n0\r\nX-Trailer: t\r\n\r\n"), false));
        assertThat(r.status()).isEqualTo(418);
        assertThat(r.bodyText()).isEqualTo("short stout");
    }

    @Test
    void headAnswerHasNoBodyDespiteItsLength() throws IOException {
        RawResponse r = answered(RawHttpClient.read(wire("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"), true));
        assertThat(r.body()).isEmpty();
        assertThat(r.values("Content-Length")).containsExactly("99");
    }

    @Test
    void skipsInterimResponses() throws IOException {
        RawResponse r = answered(RawHttpClient.read(wire(
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"), false));
        assertThat(r.status()).isEqualTo(201);
    }

    @Test
    void readsToTheEndWithoutLengthOrChunking() throws IOException {
        RawResponse r = answered(RawHttpClient.read(wire("HTTP/1.0 200 OK\r\n\r\nuntil close"), false));
        assertThat(r.bodyText()).isEqualTo("until close");
    }

    @Test
    void malformedOrMissingAnswersAreNoAnswerWithTheReason() throws IOException {
        assertThat(RawHttpClient.read(wire("garbage\r\n\r\n"), false))
                .isEqualTo(new ClientResult.NoAnswer("status line: \"garbage\" (expected: HTTP/x.y NNN ...)"));
        assertThat(RawHttpClient.read(wire(""), false))
                .isEqualTo(new ClientResult.NoAnswer("connection closed before a status line"));
        assertThat(RawHttpClient.read(wire("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"), false))
                .isEqualTo(new ClientResult.NoAnswer("body: 5 bytes (expected: Content-Length 10)"));
    }

    @Test
    void writesTheRequestByteForByte() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    // head and body come in two writes: read until the body's 2 bytes after the blank line
                    byte[] buf = new byte[4096];
                    int n = 0;
                    while (!new String(buf, 0, n, StandardCharsets.UTF_8).matches("(?s).*\r\n\r\n..")) {
                        int got = s.getInputStream().read(buf, n, buf.length - n);
                        if (got < 0) {
                            break;
                        }
                        n += got;
                    }
                    s.getOutputStream().write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return new String(buf, 0, n, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            RawRequest request = new RawRequest("get", "/a/../b?x=%zz&x=2",
                    List.of(new Header("host", "A.test:80"), new Header("X-Rep", "1"), new Header("X-Rep", "2"),
                            new Header("Content-Length", "2")),
                    Optional.of("hi".getBytes(StandardCharsets.UTF_8)));
            ClientResult result = RawHttpClient.withTimeout(Duration.ofSeconds(5))
                    .send(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), request);
            assertThat(answered(result).status()).isEqualTo(204);
            assertThat(seen.get()).isEqualTo(
                    "get /a/../b?x=%zz&x=2 HTTP/1.1\r\nhost: A.test:80\r\nX-Rep: 1\r\nX-Rep: 2\r\nContent-Length: 2\r\n\r\nhi");
        }
    }
}
