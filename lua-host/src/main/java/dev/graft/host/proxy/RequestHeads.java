package dev.graft.host.proxy;

import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Turns a decoded request head into the proxy's state for it: a fresh request id, the
 * {@link Exchange} ({@code $uri} normalised like nginx, {@code $args} raw, the client's headers
 * as they are) and the framing facts. Refuses what nginx answers 400 before any phase runs: a
 * target that does not normalise, an HTTP/1.1 request without Host, a repeated Host.
 */
final class RequestHeads {

    private static final InetSocketAddress UNKNOWN = InetSocketAddress.createUnresolved("0.0.0.0", 0);

    /** What a request head became. */
    sealed interface Result permits Accepted, Refused {}

    record Accepted(InFlightRequest request) implements Result {}

    record Refused(String requestId, String reason) implements Result {}

    private RequestHeads() {}

    static Result read(HttpRequest req, SocketAddress remote, SocketAddress local) {
        String requestId = RequestIds.next();
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        if (!(UriNormalizer.normalize(req.uri()) instanceof UriNormalizer.Normalized target)) {
            return new Refused(requestId, "target: " + req.uri() + " (expected: a path that normalises)");
        }
        int hosts = req.headers().getAll(HttpHeaderNames.HOST).size();
        boolean http11 = req.protocolVersion().equals(HttpVersion.HTTP_1_1);
        if (hosts > 1 || (hosts == 0 && http11)) {
            return new Refused(requestId, "Host: " + hosts + " headers (expected: exactly one)");
        }
        Exchange ex = Exchange.builder()
                .requestId(requestId)
                .start(startMillis, startNanos)
                .remote(inet(remote))
                .local(inet(local))
                .scheme("http")
                .version(req.protocolVersion())
                .requestUri(req.uri())
                .method(req.method().name())
                .uri(target.uri())
                .args(target.args().orElse(null))
                .headers(req.headers())
                .build();
        boolean chunked = HttpUtil.isTransferEncodingChunked(req);
        long contentLength = chunked ? -1 : HttpUtil.getContentLength(req, 0L);
        String expect = req.headers().get(HttpHeaderNames.EXPECT);
        boolean expectContinue = http11 && expect != null && expect.trim().equalsIgnoreCase("100-continue");
        return new Accepted(new InFlightRequest(ex, HttpUtil.isKeepAlive(req), contentLength, chunked,
                expectContinue, http11 && expect != null && !expectContinue, req.method().equals(HttpMethod.HEAD)));
    }

    private static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : UNKNOWN;
    }
}
