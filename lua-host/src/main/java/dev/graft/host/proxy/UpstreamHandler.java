package dev.graft.host.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of an upstream connection. While a request uses the connection it passes the
 * decoded response to that request's {@link Listener} and enforces the read timeout (the longest
 * silence while a response is due; paused while the client cannot take more). While the
 * connection idles in the pool it closes it after the idle timeout, and tells the pool when the
 * origin closes it, so a dead connection is never handed out.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    /** The request currently using the connection. */
    interface Listener {
        void onResponseHead(HttpResponse head);

        /** Takes ownership of {@code content}. */
        void onResponseContent(HttpContent content);

        void onReadComplete();

        void onWritabilityChanged();

        void onFailure(UpstreamFailure failure);
    }

    private ChannelHandlerContext ctx;
    private Listener listener;
    private int uses;
    private boolean skippingInterim;

    private long readTimeoutNanos;
    private long lastReadNanos;
    private boolean readsPaused;
    private ScheduledFuture<?> readTimer;

    private Runnable onPoolExit;
    private ScheduledFuture<?> idleTimer;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Hands the connection to a request. */
    void attach(Listener listener) {
        leavePool();
        uses++;
        this.listener = listener;
        this.skippingInterim = false;
    }

    /** Whether a request used this connection before the current one. */
    boolean reused() {
        return uses > 1;
    }

    /** The request is done with the connection; nothing more is delivered to it. */
    void detach() {
        listener = null;
        cancelReadTimer();
        resumeReads();
    }

    /** Starts the read timeout: the request is sent and a response is due. */
    void armReadTimeout(long timeoutMs) {
        if (listener == null || timeoutMs <= 0 || readTimer != null) {
            return;
        }
        readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lastReadNanos = now();
        readTimer = ctx.executor().schedule(this::checkReadTimeout, readTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Stops reading the response because the client cannot take more; the timeout pauses too. */
    void pauseReads() {
        if (!readsPaused) {
            readsPaused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    void resumeReads() {
        if (readsPaused) {
            readsPaused = false;
            lastReadNanos = now();
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Parks the connection in the pool: closes it after {@code idleTimeoutMs} unless taken. */
    void enterPool(long idleTimeoutMs, Runnable onPoolExit) {
        this.onPoolExit = onPoolExit;
        idleTimer = ctx.executor().schedule(() -> {
            idleTimer = null;
            exitPool();
            ctx.close();
        }, idleTimeoutMs, TimeUnit.MILLISECONDS);
    }

    private void leavePool() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        onPoolExit = null;
    }

    private void exitPool() {
        Runnable exit = onPoolExit;
        onPoolExit = null;
        if (exit != null) {
            exit.run();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = now();
        Listener current = listener;
        if (current == null) {
            // An idle connection must stay silent; bytes now mean the origin is confused.
            ReferenceCountUtil.release(msg);
            exitPool();
            ctx.close();
            return;
        }
        if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
            ReferenceCountUtil.release(msg);
            fail(UpstreamFailure.BAD_RESPONSE);
            return;
        }
        if (msg instanceof HttpResponse head) {
            int status = head.status().code();
            if (status >= 100 && status < 200 && status != 101) {
                // Interim responses (100 Continue, 103 Early Hints) are not forwarded.
                skippingInterim = !(msg instanceof LastHttpContent);
                ReferenceCountUtil.release(msg);
                return;
            }
            current.onResponseHead(head);
            if (listener != current) {
                ReferenceCountUtil.release(msg);
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            if (skippingInterim) {
                skippingInterim = !(msg instanceof LastHttpContent);
                content.release();
                return;
            }
            current.onResponseContent(content);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.onReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.onWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        leavePoolOnClose();
        cancelReadTimer();
        Listener current = listener;
        listener = null;
        if (current != null) {
            current.onFailure(UpstreamFailure.RESET);
        }
    }

    private void leavePoolOnClose() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        exitPool();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // An I/O error (reset, broken pipe): closing makes channelInactive report it once.
        ctx.close();
    }

    private void checkReadTimeout() {
        readTimer = null;
        if (listener == null) {
            return;
        }
        long silent = now() - lastReadNanos;
        if (readsPaused) {
            silent = 0;
        }
        if (silent >= readTimeoutNanos) {
            fail(UpstreamFailure.READ_TIMEOUT);
        } else {
            readTimer = ctx.executor().schedule(this::checkReadTimeout, readTimeoutNanos - silent, TimeUnit.NANOSECONDS);
        }
    }

    private void fail(UpstreamFailure failure) {
        Listener current = listener;
        listener = null;
        cancelReadTimer();
        ctx.close();
        if (current != null) {
            current.onFailure(failure);
        }
    }

    /** The loop's clock, which tests can move. */
    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    private void cancelReadTimer() {
        if (readTimer != null) {
            readTimer.cancel(false);
            readTimer = null;
        }
    }
}
