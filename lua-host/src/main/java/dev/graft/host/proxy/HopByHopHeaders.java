package dev.graft.host.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Removes the hop-by-hop headers of RFC 7230 section 6.1 (Connection, Keep-Alive,
 * Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade) and every header the Connection
 * header names. Applied to what goes back to the client: each hop frames its own connection.
 *
 * <p>What goes upstream loses only what nginx's proxy module replaces by default
 * ({@link #stripForUpstream}): Connection, Keep-Alive, TE, Upgrade, Expect and the framing
 * headers; nginx forwards Proxy-Connection, Trailer and the headers Connection names.
 */
final class HopByHopHeaders {

    private static final List<CharSequence> FIXED = List.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER,
            HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE);

    private static final List<CharSequence> NGINX_PROXY_REPLACES = List.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.TE,
            HttpHeaderNames.UPGRADE,
            HttpHeaderNames.EXPECT,
            HttpHeaderNames.TRANSFER_ENCODING);

    private HopByHopHeaders() {}

    /** The request headers nginx's proxy_pass does not forward (ngx_http_proxy_headers). */
    static void stripForUpstream(HttpHeaders headers) {
        for (CharSequence name : NGINX_PROXY_REPLACES) {
            headers.remove(name);
        }
    }

    static void strip(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                int start = 0;
                while (start <= value.length()) {
                    int comma = value.indexOf(',', start);
                    int end = comma < 0 ? value.length() : comma;
                    String token = value.substring(start, end).trim();
                    if (!token.isEmpty()) {
                        headers.remove(token);
                    }
                    start = end + 1;
                }
            }
        }
        for (CharSequence name : FIXED) {
            headers.remove(name);
        }
    }
}
