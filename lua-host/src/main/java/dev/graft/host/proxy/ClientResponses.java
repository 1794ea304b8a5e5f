package dev.graft.host.proxy;

import dev.graft.host.exchange.Exchange;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Builds what goes back to the client from the exchange, after header_filter ran: the status
 * and headers the stages left, minus hop-by-hop headers, plus {@code X-Request-Id}, framed for
 * this client (Content-Length, chunked for HTTP/1.1, or close-delimited for HTTP/1.0 when the
 * length is unknown). HEAD, 1xx, 204 and 304 responses carry no body.
 */
final class ClientResponses {

    static final String REQUEST_ID = "X-Request-Id";

    private ClientResponses() {}

    /** The head of a proxied response and whether its end is marked by closing the connection. */
    record Head(HttpResponse response, boolean closeDelimited) {}

    static boolean bodyless(int status, boolean headRequest) {
        return headRequest || status < 200 || status == 204 || status == 304;
    }

    /** A response the proxy answers itself, with its whole body. */
    static FullHttpResponse local(Exchange ex, byte[] body, boolean headRequest, boolean keepAlive, HttpVersion clientVersion) {
        int status = ex.status();
        HttpHeaders headers = headersFor(ex, keepAlive, clientVersion);
        byte[] sent = body;
        if (status < 200 || status == 204 || status == 304) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            sent = new byte[0];
        } else {
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            if (headRequest) {
                sent = new byte[0];
            }
        }
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(sent), headers, new DefaultHttpHeaders());
    }

    /** The head of a proxied response whose body follows as it streams. */
    static Head proxied(Exchange ex, boolean filtersBody, boolean headRequest, boolean keepAlive, HttpVersion clientVersion) {
        int status = ex.status();
        boolean closeDelimited = false;
        boolean chunked = false;
        if (!bodyless(status, headRequest) && (filtersBody || !ex.responseHeaders().contains(HttpHeaderNames.CONTENT_LENGTH))) {
            chunked = clientVersion.isKeepAliveDefault();
            closeDelimited = !chunked;
        }
        HttpHeaders headers = headersFor(ex, keepAlive && !closeDelimited, clientVersion);
        if (status < 200 || status == 204) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        } else if (chunked || closeDelimited) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        if (chunked) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return new Head(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), headers), closeDelimited);
    }

    private static HttpHeaders headersFor(Exchange ex, boolean keepAlive, HttpVersion clientVersion) {
        HttpHeaders headers = new DefaultHttpHeaders().set(ex.responseHeaders());
        HopByHopHeaders.strip(headers);
        headers.set(REQUEST_ID, ex.requestId());
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!clientVersion.isKeepAliveDefault()) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return headers;
    }
}
