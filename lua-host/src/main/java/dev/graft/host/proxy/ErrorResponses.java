package dev.graft.host.proxy;

import dev.graft.host.lua.ngx.ErrorPages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's own short answers: nginx's HTML error page for a status (the failures a user
 * reports, 500/502/504, name the request id in the page's signature line), the raw bytes of a
 * rejection written below the codec, and the interim {@code 100 Continue}.
 *
 * <p>Status 494 is nginx's internal "Request Header Or Cookie Too Large": it goes out as 400
 * with its own page.
 */
final class ErrorResponses {

    static final String CONTENT_TYPE = "text/html";

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private ErrorResponses() {}

    /** The status that goes on the wire for an error status (494 is sent as 400). */
    static int wireStatus(int status) {
        return status == 494 ? 400 : status;
    }

    static byte[] body(int status, String requestId) {
        return switch (status) {
            case 500, 502, 504 -> ErrorPages.withRequestId(status, requestId);
            default -> ErrorPages.page(status);
        };
    }

    /** A complete response that closes the connection, for requests that never became exchanges. */
    static ByteBuf rejection(ByteBufAllocator alloc, int status, String requestId) {
        byte[] body = body(status, requestId);
        int wire = wireStatus(status);
        String head = "HTTP/1.1 " + wire + " " + HttpResponseStatus.valueOf(wire).reasonPhrase() + "\r\n"
                + "Content-Type: " + CONTENT_TYPE + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "X-Request-Id: " + requestId + "\r\n"
                + "Connection: close\r\n\r\n";
        ByteBuf out = alloc.buffer(head.length() + body.length);
        out.writeCharSequence(head, StandardCharsets.US_ASCII);
        out.writeBytes(body);
        return out;
    }

    static ByteBuf continueResponse(ByteBufAllocator alloc) {
        return alloc.buffer(CONTINUE.length).writeBytes(CONTINUE);
    }
}
