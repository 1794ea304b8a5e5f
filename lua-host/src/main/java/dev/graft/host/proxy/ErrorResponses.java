package dev.graft.host.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's own short answers: the text body of an error (it names the request id, so a user
 * can quote it), the raw bytes of a rejection written below the codec, and the interim
 * {@code 100 Continue}.
 */
final class ErrorResponses {

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private ErrorResponses() {}

    static byte[] body(int status, String requestId) {
        String text = status + " " + HttpResponseStatus.valueOf(status).reasonPhrase() + "\nrequest_id: " + requestId + "\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A complete response that closes the connection, for requests that never became exchanges. */
    static ByteBuf rejection(ByteBufAllocator alloc, int status, String requestId) {
        byte[] body = body(status, requestId);
        String head = "HTTP/1.1 " + status + " " + HttpResponseStatus.valueOf(status).reasonPhrase() + "\r\n"
                + "Content-Type: text/plain\r\n"
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
