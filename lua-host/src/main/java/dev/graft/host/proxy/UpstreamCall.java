package dev.graft.host.proxy;

import dev.graft.host.config.GraftConfig.Server;
import dev.graft.host.config.GraftConfig.UpstreamConfig;
import dev.graft.host.exchange.Exchange;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.net.ConnectException;
import java.util.OptionalLong;

/**
 * One request's trip to an origin server: takes a pooled connection (or opens one on the client's
 * event loop), sends the re-serialised head and the body as it streams, and relays the response
 * back through the frontend, with backpressure both ways. Afterwards the connection goes back to
 * the pool if both sides finished cleanly, else it is closed.
 */
final class UpstreamCall implements UpstreamHandler.Listener {

    private final ProxyFrontendHandler front;
    private final InFlightRequest request;
    private final LoopContext loop;
    private final Channel client;
    private final String upstreamName;
    private final UpstreamConfig config;
    private final Server server;
    private final long startNanos = System.nanoTime();

    private Channel channel;
    private UpstreamHandler handler;
    private boolean retried;
    private boolean requestSent;
    private boolean responseStarted;
    private boolean upstreamKeepAlive;
    private boolean filters;
    private boolean done;

    UpstreamCall(ProxyFrontendHandler front, InFlightRequest request, LoopContext loop, Channel client,
                 String upstreamName, UpstreamConfig config, Server server) {
        this.front = front;
        this.request = request;
        this.loop = loop;
        this.client = client;
        this.upstreamName = upstreamName;
        this.config = config;
        this.server = server;
    }

    void start() {
        loop.pool().acquire(server, config).addListener((Future<Channel> f) -> {
            if (done) {
                if (f.isSuccess()) {
                    f.getNow().close();
                }
            } else if (f.isSuccess()) {
                connected(f.getNow());
            } else {
                Throwable cause = f.cause();
                fail(cause instanceof ConnectTimeoutException ? UpstreamFailure.CONNECT_TIMEOUT
                        : cause instanceof ConnectException ? UpstreamFailure.REFUSED
                        : UpstreamFailure.CONNECT);
            }
        });
    }

    private void connected(Channel ch) {
        channel = ch;
        handler = ch.pipeline().get(UpstreamHandler.class);
        handler.attach(this);
        Exchange ex = request.exchange;
        if (ex.bodyBuffered()) {
            byte[] body = ex.body().orElse(new byte[0]);
            HttpRequest head = UpstreamRequests.build(ex, server, OptionalLong.of(body.length), false);
            ch.write(RawTargetBytes.prepare(ch, head));
            ch.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(body)));
            requestWritten();
        } else if (!request.hasBody) {
            // Sent whole now, so that a retry can send it again; the client's empty last
            // content is dropped by sendBody.
            ch.write(RawTargetBytes.prepare(ch, UpstreamRequests.build(ex, server, OptionalLong.empty(), false)));
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            requestWritten();
        } else {
            ch.writeAndFlush(RawTargetBytes.prepare(ch, UpstreamRequests.build(ex, server, OptionalLong.empty(), request.chunked)));
        }
        front.upstreamReady();
    }

    /** Whether request body content can be taken now (sent, or dropped when the call is over). */
    boolean acceptsBody() {
        return done || channel != null;
    }

    /** Whether the frontend may keep reading the client: the upstream takes more. */
    boolean wantsMoreBody() {
        return done || (channel != null && channel.isWritable());
    }

    /** Streams one piece of the client's body; takes ownership of it. */
    void sendBody(HttpContent content) {
        if (done || channel == null || requestSent) {
            content.release();
            return;
        }
        if (content instanceof LastHttpContent) {
            channel.writeAndFlush(content);
            requestWritten();
        } else {
            channel.write(content);
        }
    }

    void flushBody() {
        if (!done && channel != null) {
            channel.flush();
        }
    }

    private void requestWritten() {
        requestSent = true;
        long timeout = config.readTimeoutMs() > 0 ? config.readTimeoutMs() : LoopContext.DEFAULT_READ_TIMEOUT_MS;
        handler.armReadTimeout(timeout);
    }

    /** The client can take more response bytes again. */
    void clientWritabilityChanged() {
        if (!done && handler != null && client.isWritable()) {
            handler.resumeReads();
        }
    }

    @Override
    public void onResponseHead(HttpResponse head) {
        responseStarted = true;
        loop.metrics().upstreamLatency(upstreamName, System.nanoTime() - startNanos);
        upstreamKeepAlive = HttpUtil.isKeepAlive(head);
        Exchange ex = request.exchange;
        ex.status(head.status().code());
        ex.responseHeaders().clear().set(head.headers());
        if (HttpUtil.isTransferEncodingChunked(head)) {
            // Chunked framing wins over a Content-Length (RFC 9112 section 6.3); the length must
            // not reach the client, whose framing is decided afresh.
            ex.responseHeaders().remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        HopByHopHeaders.stripUpstreamResponse(ex.responseHeaders());
        filters = front.startProxiedResponse(request);
    }

    @Override
    public void onResponseContent(HttpContent content) {
        if (done || !responseStarted) {
            content.release();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        HttpContent out = content;
        if (filters) {
            byte[] chunk = ByteBufUtil.getBytes(content.content());
            content.release();
            byte[] filtered = front.filterBody(request, chunk, last);
            out = last ? new DefaultLastHttpContent(Unpooled.wrappedBuffer(filtered))
                    : new DefaultHttpContent(Unpooled.wrappedBuffer(filtered));
        }
        if (!last) {
            client.write(out);
            if (!client.isWritable()) {
                handler.pauseReads();
            }
            return;
        }
        finish();
        front.finishResponse(request, out);
    }

    private void finish() {
        done = true;
        boolean reusable = upstreamKeepAlive && requestSent;
        handler.detach();
        if (reusable) {
            loop.pool().release(channel, server, config);
        } else {
            channel.close();
        }
    }

    @Override
    public void onReadComplete() {
        client.flush();
    }

    @Override
    public void onWritabilityChanged() {
        front.updateReading();
    }

    @Override
    public void onFailure(UpstreamFailure failure) {
        fail(failure);
    }

    private void fail(UpstreamFailure failure) {
        if (done) {
            return;
        }
        if (retryable(failure)) {
            // A kept-alive connection the origin closed while we took it (its FIN not yet seen):
            // the request never reached the origin's application, so it is safe to send again.
            retried = true;
            handler.detach();
            channel.close();
            channel = null;
            handler = null;
            requestSent = false;
            start();
            return;
        }
        done = true;
        loop.metrics().upstreamFailure(upstreamName, failure.kind());
        if (handler != null) {
            handler.detach();
        }
        if (channel != null) {
            channel.close();
        }
        front.upstreamFailed(request, failure);
    }

    /**
     * Like nginx's {@code proxy_next_upstream error}: once, for a reset on a reused connection
     * before any response, when the whole request can be sent again (no streamed body) and the
     * method is idempotent (nginx never retries POST, LOCK or PATCH on its own).
     */
    private boolean retryable(UpstreamFailure failure) {
        String method = request.exchange.method();
        return failure == UpstreamFailure.RESET && !retried && !responseStarted && handler != null && handler.reused()
                && (request.exchange.bodyBuffered() || !request.hasBody)
                && !method.equals("POST") && !method.equals("LOCK") && !method.equals("PATCH");
    }

    /** The client went away or was refused: drop the upstream connection, it is mid-exchange. */
    void abort() {
        if (done) {
            return;
        }
        done = true;
        if (handler != null) {
            handler.detach();
        }
        if (channel != null) {
            channel.close();
        }
    }
}
