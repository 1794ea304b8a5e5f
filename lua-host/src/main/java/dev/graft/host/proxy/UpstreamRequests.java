package dev.graft.host.proxy;

import dev.graft.host.config.GraftConfig.Server;
import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.OptionalLong;

/**
 * Builds the request head sent upstream, re-serialised from the exchange (never the client's
 * bytes): the method and headers the stages left, hop-by-hop headers and {@code Expect}
 * removed, X-Forwarded-For/-Proto/-Host and X-Request-Id set, and the target either the
 * client's raw target or, when a stage changed the URI, the re-escaped {@code $uri?$args}.
 */
final class UpstreamRequests {

    private static final CharSequence X_FORWARDED_FOR = "X-Forwarded-For";
    private static final CharSequence X_FORWARDED_PROTO = "X-Forwarded-Proto";
    private static final CharSequence X_FORWARDED_HOST = "X-Forwarded-Host";

    private UpstreamRequests() {}

    /**
     * @param bufferedLength the length of the buffered body when the stages read it whole
     * @param chunked        whether a streamed body is sent chunked (the client sent it so)
     */
    static HttpRequest build(Exchange ex, Server server, OptionalLong bufferedLength, boolean chunked) {
        HttpHeaders headers = new DefaultHttpHeaders().set(ex.requestHeaders());
        HopByHopHeaders.strip(headers);
        headers.remove(HttpHeaderNames.EXPECT);
        if (bufferedLength.isPresent()) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, bufferedLength.getAsLong());
        } else if (chunked) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        String client = ex.remote().getAddress() == null ? ex.remote().getHostString() : ex.remote().getAddress().getHostAddress();
        headers.set(X_FORWARDED_FOR, forwardedFor(headers.getAll(X_FORWARDED_FOR), client));
        headers.set(X_FORWARDED_PROTO, ex.scheme());
        String host = ex.requestHeaders().get(HttpHeaderNames.HOST);
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        } else {
            headers.set(HttpHeaderNames.HOST, server.host() + ":" + server.port());
        }
        headers.set(ClientResponses.REQUEST_ID, ex.requestId());
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(ex.method()), target(ex), headers);
    }

    /** nginx's {@code $proxy_add_x_forwarded_for}: every X-Forwarded-For line joined, then the client. */
    static String forwardedFor(List<String> chain, String client) {
        if (chain.isEmpty()) {
            return client;
        }
        StringBuilder out = new StringBuilder();
        for (String link : chain) {
            if (!link.isBlank()) {
                out.append(link).append(", ");
            }
        }
        return out.append(client).toString();
    }

    static String target(Exchange ex) {
        String raw = ex.requestUri();
        if (!ex.uriChanged() && !raw.isEmpty() && raw.charAt(0) == '/') {
            return raw;
        }
        return UriEscaper.target(ex.uri(), ex.args());
    }
}
