package dev.graft.host.proxy;

import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The proxy's state for the request a client connection is serving: its exchange, the framing
 * facts of its head, where it stands, and whether each direction has finished. A connection has
 * at most one; pipelined requests wait in the frontend's queue.
 */
final class InFlightRequest {

    enum Stage {
        /** Head received, request phases not run yet. */
        STARTING,
        /** Reading the whole body for the stages. */
        BUFFERING,
        /** Sent (or being sent) upstream. */
        PROXYING,
        /** Answered by the proxy; request body bytes still arriving are discarded. */
        RESPONDING
    }

    final Exchange exchange;
    final HttpVersion version;
    final boolean keepAlive;
    /** The declared Content-Length, or -1 when chunked. */
    final long contentLength;
    final boolean hasBody;
    final boolean chunked;
    final boolean expectContinue;
    final boolean headRequest;

    Stage stage = Stage.STARTING;
    BodyBuffer body;
    UpstreamCall call;
    boolean continueSent;
    boolean requestComplete;
    boolean responseComplete;
    boolean closeAfter;
    boolean logged;

    InFlightRequest(Exchange exchange, boolean keepAlive, long contentLength, boolean chunked, boolean expectContinue,
                    boolean headRequest) {
        this.exchange = exchange;
        this.version = exchange.version();
        this.keepAlive = keepAlive;
        this.contentLength = contentLength;
        this.hasBody = chunked || contentLength > 0;
        this.chunked = chunked;
        this.expectContinue = expectContinue;
        this.headRequest = headRequest;
    }
}
