package dev.graft.host.proxy;

import dev.graft.host.config.GraftConfig.UpstreamConfig;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline.Verdict;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The client side of a connection: turns each decoded request into an {@link Exchange}, runs the
 * request phases, then answers from the proxy or hands the request to an {@link UpstreamCall};
 * runs header_filter, body_filter and log on every response; keeps the connection alive between
 * requests.
 *
 * <p>One request is served at a time. Everything decoded while it cannot be taken (a pipelined
 * request, body bytes while the upstream connects) waits in an inbound queue, and reading from
 * the socket stops while the queue is not empty or the upstream cannot take more body: that
 * queue holds at most one socket read.
 */
final class ProxyFrontendHandler extends ChannelInboundHandlerAdapter {

    /** Sent down a client pipeline to ask it to close once its current response is done. */
    static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    /** How long an idle connection may still send a request once draining starts (graceful restart). */
    static final long DRAIN_IDLE_MS = 500;

    /** How long a closing connection keeps discarding what the client still sends. */
    static final long LINGER_MS = 2_000;

    private final Supplier<LoopContext> contexts;
    /** The context of the current request: taken when its head arrives, so a reload applies
     *  to the next request while this one finishes on what it started with. */
    private LoopContext loop;
    private final ArrayDeque<Object> inbound = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private InFlightRequest current;
    private boolean processing;
    private boolean closing;

    ProxyFrontendHandler(Supplier<LoopContext> contexts) {
        this.contexts = contexts;
        this.loop = contexts.get();
    }

    ProxyFrontendHandler(LoopContext loop) {
        this(() -> loop);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        inbound.add(msg);
        process();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        InFlightRequest cur = current;
        if (cur != null && cur.call != null) {
            cur.call.flushBody();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        InFlightRequest cur = current;
        if (cur != null && cur.call != null) {
            cur.call.clientWritabilityChanged();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // Idle while the proxy waits for the client (between requests, mid-request, or
            // stuck writing to it) closes; idle while waiting for the upstream is the
            // upstream's read timeout to judge.
            InFlightRequest cur = current;
            if (cur == null || !cur.requestComplete || !ctx.channel().isWritable()) {
                closeNow();
            }
        } else if (evt == DRAIN) {
            // An idle keep-alive connection may have its next request on the wire already:
            // closing it now would lose (reset) that request. It gets DRAIN_IDLE_MS to send
            // one, which is answered with Connection: close; a silent one is closed then.
            if (current == null) {
                closeWhenStillIdle();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeNow();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releaseInbound();
        InFlightRequest cur = current;
        current = null;
        if (cur != null) {
            if (cur.call != null) {
                cur.call.abort();
            }
            cur.body = null;
            // 499 is nginx's "client closed the request" for what never got its response head out.
            finishLog(cur, cur.exchange.headersSent() ? cur.exchange.status() : 499);
        }
    }

    // --- the inbound queue

    private void process() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            while (!closing && !inbound.isEmpty() && canTake(inbound.peek())) {
                take(inbound.poll());
            }
        } finally {
            processing = false;
        }
        if (closing) {
            releaseInbound();
        }
        updateReading();
    }

    private boolean canTake(Object msg) {
        InFlightRequest cur = current;
        if (msg instanceof RequestRejection) {
            return cur == null || !cur.requestComplete;
        }
        if (msg instanceof HttpRequest) {
            return cur == null;
        }
        if (cur == null || cur.stage != InFlightRequest.Stage.PROXYING) {
            return true;
        }
        return cur.call.acceptsBody();
    }

    private void take(Object msg) {
        if (msg instanceof RequestRejection rejection) {
            reject(rejection);
        } else if (msg instanceof HttpRequest request) {
            onRequestHead(request);
            if (msg instanceof HttpContent content) {
                onRequestContent(content);
            }
        } else if (msg instanceof HttpContent content) {
            onRequestContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Reads from the client only while what it sends can be taken. */
    void updateReading() {
        if (closing) {
            return;
        }
        InFlightRequest cur = current;
        boolean read = inbound.isEmpty() && (cur == null || cur.call == null || cur.call.wantsMoreBody());
        ctx.channel().config().setAutoRead(read);
    }

    /** The upstream connection is ready: body bytes queued meanwhile can go. */
    void upstreamReady() {
        process();
    }

    // --- requests

    private void onRequestHead(HttpRequest req) {
        loop = contexts.get();
        switch (RequestHeads.read(req, ctx.channel().remoteAddress(), ctx.channel().localAddress())) {
            case RequestHeads.Refused refused -> rejectNow(refused.status(), refused.requestId());
            case RequestHeads.Accepted accepted -> start(accepted.request());
        }
    }

    private void start(InFlightRequest cur) {
        current = cur;
        if (cur.hasBody && loop.pipeline().wantsBody(cur.exchange)) {
            if (cur.contentLength > loop.maxBufferedBody()) {
                cur.closeAfter = true;
                respondError(cur, 413);
                return;
            }
            cur.stage = InFlightRequest.Stage.BUFFERING;
            cur.body = new BodyBuffer(cur.contentLength);
            sendContinue(cur);
            return;
        }
        runRequestPhases(cur);
    }

    private void onRequestContent(HttpContent content) {
        InFlightRequest cur = current;
        if (cur == null) {
            content.release();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        switch (cur.stage) {
            case BUFFERING -> {
                boolean fits = cur.body.append(content.content(), loop.maxBufferedBody());
                content.release();
                cur.requestComplete = last;
                if (!fits) {
                    cur.body = null;
                    cur.closeAfter = true;
                    respondError(cur, 413);
                } else if (last) {
                    cur.exchange.body(cur.body.toArray());
                    cur.body = null;
                    runRequestPhases(cur);
                }
            }
            case PROXYING -> {
                cur.requestComplete = last;
                cur.call.sendBody(content);
                if (last) {
                    maybeFinish(cur);
                }
            }
            case STARTING, RESPONDING -> {
                content.release();
                if (last) {
                    cur.requestComplete = true;
                    maybeFinish(cur);
                }
            }
        }
    }

    private void runRequestPhases(InFlightRequest cur) {
        loop.recorder().record(cur.exchange); // opt-in traffic recording, before any stage changes the request
        Verdict verdict = loop.pipeline().onRequest(cur.exchange);
        switch (verdict) {
            case Verdict.Respond respond -> {
                cur.stage = InFlightRequest.Stage.RESPONDING;
                respondLocal(cur);
            }
            case Verdict.Proxy proxy -> startProxy(cur);
        }
    }

    private void startProxy(InFlightRequest cur) {
        Exchange ex = cur.exchange;
        String name = ex.upstream().filter(n -> !n.isEmpty()).orElse(loop.defaultUpstream());
        UpstreamConfig upstream = loop.config().upstreams().get(name);
        if (upstream == null || upstream.servers().isEmpty()) {
            loop.metrics().upstreamFailure(name, "connect");
            respondError(cur, 502);
            return;
        }
        if (!ex.bodyBuffered() && cur.hasBody) {
            sendContinue(cur);
        }
        cur.stage = InFlightRequest.Stage.PROXYING;
        cur.call = new UpstreamCall(this, cur, loop, ctx.channel(), name, upstream, loop.picker(name, upstream).next());
        cur.call.start();
    }

    private void sendContinue(InFlightRequest cur) {
        if (cur.expectContinue && !cur.continueSent && !cur.requestComplete) {
            cur.continueSent = true;
            // Written below the codec: the encoder pairs each response with a request method,
            // and an interim response must not take the final response's slot.
            ctx.pipeline().firstContext().writeAndFlush(ErrorResponses.continueResponse(ctx.alloc()));
        }
    }

    // --- responses

    private boolean keepAlive(InFlightRequest cur) {
        return cur.keepAlive && !cur.closeAfter && !closing && !loop.draining();
    }

    /** Answers with the exchange's status, headers and output, after header_filter and body_filter. */
    private void respondLocal(InFlightRequest cur) {
        Exchange ex = cur.exchange;
        cur.stage = InFlightRequest.Stage.RESPONDING;
        if (ex.status() == 0) {
            ex.status(200);
        }
        if (cur.hasBody && !cur.requestComplete && cur.expectContinue && !cur.continueSent) {
            // The client may or may not send the body it announced: the connection cannot be reused.
            cur.closeAfter = true;
        }
        loop.pipeline().onResponseHead(ex);
        byte[] body = ex.output().toByteArray();
        if (loop.pipeline().filtersBody(ex)) {
            body = loop.pipeline().onResponseBody(ex, body, true);
        }
        boolean keepAlive = keepAlive(cur);
        cur.closeAfter |= !keepAlive;
        FullHttpResponse response = ClientResponses.local(ex, body, cur.headRequest, keepAlive, cur.version);
        ex.markHeadersSent();
        ctx.writeAndFlush(response).addListener(f -> responseWritten(cur, f));
    }

    private void respondError(InFlightRequest cur, int status) {
        Exchange ex = cur.exchange;
        ex.status(ErrorResponses.wireStatus(status));
        ex.responseHeaders().clear().set(HttpHeaderNames.CONTENT_TYPE, ErrorResponses.CONTENT_TYPE);
        ex.output().reset();
        ex.output().writeBytes(ErrorResponses.body(status, ex.requestId()));
        respondLocal(cur);
    }

    /** header_filter for a proxied response, then its head goes out; returns whether body_filter runs. */
    boolean startProxiedResponse(InFlightRequest cur) {
        Exchange ex = cur.exchange;
        loop.pipeline().onResponseHead(ex);
        boolean filters = loop.pipeline().filtersBody(ex);
        boolean keepAlive = keepAlive(cur);
        ClientResponses.Head head = ClientResponses.proxied(ex, filters, cur.headRequest, keepAlive, cur.version);
        cur.closeAfter |= !keepAlive || head.closeDelimited();
        ex.markHeadersSent();
        ctx.write(head.response());
        return filters;
    }

    byte[] filterBody(InFlightRequest cur, byte[] chunk, boolean last) {
        return loop.pipeline().onResponseBody(cur.exchange, chunk, last);
    }

    /** The last piece of a proxied response. */
    void finishResponse(InFlightRequest cur, HttpContent last) {
        ctx.writeAndFlush(last).addListener(f -> responseWritten(cur, f));
    }

    void upstreamFailed(InFlightRequest cur, UpstreamFailure failure) {
        if (cur != current) {
            return;
        }
        if (cur.exchange.headersSent()) {
            // The client has a partial response: only closing tells it so.
            cur.closeAfter = true;
            closeNow();
            return;
        }
        respondError(cur, failure.status());
        process();
    }

    private void responseWritten(InFlightRequest cur, Future<? super Void> written) {
        cur.responseComplete = true;
        if (!written.isSuccess()) {
            closeNow();
            return;
        }
        maybeFinish(cur);
    }

    private void maybeFinish(InFlightRequest cur) {
        if (cur != current || !cur.responseComplete || !(cur.requestComplete || cur.closeAfter)) {
            return;
        }
        current = null;
        finishLog(cur, cur.exchange.status());
        if (cur.closeAfter) {
            if (cur.requestComplete) {
                closeNow();
            } else {
                lingeringClose();
            }
        } else {
            // The response said keep-alive; if draining began after its head went out, the
            // client may already be sending its next request: it is served (with
            // Connection: close), and a connection that stays idle closes as on DRAIN.
            process();
            if (current == null && loop.draining()) {
                closeWhenStillIdle();
            }
        }
    }

    /** Closes the connection in DRAIN_IDLE_MS unless a request has come in by then. */
    private void closeWhenStillIdle() {
        if (!inbound.isEmpty()) {
            return;
        }
        ctx.executor().schedule(() -> {
            if (current == null && inbound.isEmpty() && !closing) {
                closeNow();
            }
        }, DRAIN_IDLE_MS, TimeUnit.MILLISECONDS);
    }

    private void finishLog(InFlightRequest cur, int status) {
        if (cur.logged) {
            return;
        }
        cur.logged = true;
        loop.pipeline().onLog(cur.exchange);
        String customer = cur.exchange.variables().getOrDefault("graft_customer", "");
        loop.metrics().requestServed(customer, status);
        loop.accessLog().log(cur.exchange, customer, status); // one JSON line when logging.access_log is set
    }

    // --- refusals and closing

    private void reject(RequestRejection rejection) {
        InFlightRequest cur = current;
        if (cur == null) {
            rejectNow(rejection.status(), RequestIds.next());
            return;
        }
        // Broken framing in the body of the current request.
        if (cur.call != null) {
            cur.call.abort();
        }
        cur.closeAfter = true;
        if (cur.exchange.headersSent()) {
            closeNow();
        } else {
            cur.stage = InFlightRequest.Stage.RESPONDING;
            respondError(cur, rejection.status());
        }
    }

    /** Refuses a request that never became an exchange, and closes. */
    private void rejectNow(int status, String requestId) {
        closing = true;
        current = null;
        ctx.channel().config().setAutoRead(false);
        loop.metrics().requestServed("", status);
        ctx.pipeline().firstContext().writeAndFlush(ErrorResponses.rejection(ctx.alloc(), status, requestId))
                .addListener(f -> lingeringClose());
    }

    /**
     * Closes after a final response while the client may still be sending (a refused body, a
     * rejected request): closing at once could make the client's TCP stack answer its unread
     * bytes with a reset that destroys our response before it is read. So, like nginx's
     * lingering close, send FIN first and discard what still comes for a moment.
     */
    private void lingeringClose() {
        closing = true;
        releaseInbound();
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
            duplex.shutdownOutput().addListener(f -> {
                if (!f.isSuccess()) {
                    ctx.close();
                }
            });
            ctx.channel().config().setAutoRead(true);
            ctx.executor().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS);
        } else {
            ctx.close();
        }
    }

    private void closeNow() {
        closing = true;
        releaseInbound();
        ctx.close();
    }

    private void releaseInbound() {
        Object msg;
        while ((msg = inbound.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
