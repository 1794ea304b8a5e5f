package dev.graft.host.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * The headers nginx does not pass from one connection to the next, per direction (checked against
 * nginx 1.22 with proxy_pass).
 *
 * <p>Responses to the client ({@link #strip}) lose Connection, Keep-Alive and Transfer-Encoding:
 * the proxy frames each client connection itself. nginx passes Proxy-Connection, TE, Trailer,
 * Upgrade and the headers Connection names; so does Graft. A proxied response also loses what
 * nginx's {@code proxy_hide_header} hides by default ({@link #stripUpstreamResponse}).
 *
 * <p>Requests to the upstream ({@link #stripForUpstream}) lose only what nginx's proxy module
 * replaces by default: Connection, Keep-Alive, TE, Upgrade, Expect and the framing headers.
 */
final class HopByHopHeaders {

    private static final List<CharSequence> FIXED = List.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.TRANSFER_ENCODING);

    /** nginx's proxy_hide_header defaults (Date and Server are each server's own, left as they are). */
    private static final List<CharSequence> HIDDEN_FROM_UPSTREAM = List.of(
            AsciiString.cached("x-pad"),
            AsciiString.cached("x-accel-expires"),
            AsciiString.cached("x-accel-redirect"),
            AsciiString.cached("x-accel-limit-rate"),
            AsciiString.cached("x-accel-buffering"),
            AsciiString.cached("x-accel-charset"));

    private static final List<CharSequence> NGINX_PROXY_REPLACES = List.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.TE,
            HttpHeaderNames.UPGRADE,
            HttpHeaderNames.EXPECT,
            HttpHeaderNames.TRANSFER_ENCODING);

    private HopByHopHeaders() {}

    /** What a response to the client never carries from the stages or the upstream. */
    static void strip(HttpHeaders headers) {
        for (CharSequence name : FIXED) {
            headers.remove(name);
        }
    }

    /**
     * A proxied response's headers as nginx keeps them: {@link #strip}, the hidden X-Accel-* and
     * X-Pad, and one Content-Type (the last: nginx keeps a single one).
     */
    static void stripUpstreamResponse(HttpHeaders headers) {
        strip(headers);
        for (CharSequence name : HIDDEN_FROM_UPSTREAM) {
            headers.remove(name);
        }
        if (headers.contains(HttpHeaderNames.CONTENT_TYPE)) {
            List<String> types = headers.getAll(HttpHeaderNames.CONTENT_TYPE);
            if (types.size() > 1) {
                headers.set("Content-Type", types.get(types.size() - 1));
            }
        }
    }

    /** The request headers nginx's proxy_pass does not forward (ngx_http_proxy_headers). */
    static void stripForUpstream(HttpHeaders headers) {
        for (CharSequence name : NGINX_PROXY_REPLACES) {
            headers.remove(name);
        }
    }
}
