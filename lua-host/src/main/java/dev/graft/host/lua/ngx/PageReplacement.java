package dev.graft.host.lua.ngx;

import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Optional;

/**
 * What {@code ngx.exit(status >= 300)} in header_filter does to a response, for both the Lua
 * pipeline and the native Java one: the head becomes nginx's page for the status at once, and
 * the body filter sends the page in place of the first chunk and nothing after it.
 */
public final class PageReplacement {

    private static final String PENDING = "graft_replaced_body";
    private static final byte[] NOTHING = new byte[0];

    private PageReplacement() {}

    /** Makes the response nginx's page for {@code status}; the body follows in {@link #chunk}. */
    public static void replace(Exchange ex, int status) {
        ex.status(status);
        HttpHeaders h = ex.responseHeaders();
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        h.remove(HttpHeaderNames.CONTENT_ENCODING);
        h.remove(HttpHeaderNames.ETAG);
        h.remove(HttpHeaderNames.LAST_MODIFIED);
        h.set(HttpHeaderNames.CONTENT_TYPE, "text/html");
        ex.variables().put(PENDING, Integer.toString(status));
    }

    /** Whether the response's body is being replaced, so the body filter must see it. */
    public static boolean active(Exchange ex) {
        return ex.variables().containsKey(PENDING);
    }

    /**
     * What to send instead of the next body chunk: the page (then the last chunk) the first time,
     * nothing after it; empty when the body is not replaced.
     */
    public static Optional<byte[]> chunk(Exchange ex) {
        String pending = ex.variables().get(PENDING);
        if (pending == null) {
            return Optional.empty();
        }
        if (pending.isEmpty()) {
            return Optional.of(NOTHING); // the page went out with the first chunk
        }
        ex.variables().put(PENDING, "");
        return Optional.of(ErrorPages.page(Integer.parseInt(pending)));
    }
}
