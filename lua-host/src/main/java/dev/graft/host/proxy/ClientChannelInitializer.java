package dev.graft.host.proxy;

import dev.graft.host.config.GraftConfig.Limits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Builds a client connection's pipeline, in the order bytes meet the handlers: idle timeout,
 * {@link HttpRequestGuard} (raw bytes), {@code HttpServerCodec}, {@link RequestDecodeCheck},
 * {@link ProxyFrontendHandler}.
 */
final class ClientChannelInitializer extends ChannelInitializer<Channel> {

    static final int DEFAULT_MAX_INITIAL_LINE = 8 * 1024;
    static final int DEFAULT_MAX_HEADER_BYTES = 32 * 1024;
    /** nginx counts no header fields, only their bytes. */
    static final int DEFAULT_MAX_HEADER_COUNT = 10_000;
    static final long DEFAULT_CLIENT_IDLE_MS = 60_000;

    private final Function<EventLoop, LoopContext> loops;
    private final ChannelGroup clients;

    /** {@code loops} gives an event loop's current context; it changes on reload. */
    ClientChannelInitializer(Function<EventLoop, LoopContext> loops, ChannelGroup clients) {
        this.loops = loops;
        this.clients = clients;
    }

    @Override
    protected void initChannel(Channel ch) {
        clients.add(ch);
        EventLoop eventLoop = ch.eventLoop();
        // Limits are per connection: a reload applies them to connections opened after it.
        Limits limits = loops.apply(eventLoop).config().limits();
        long idle = limits.clientIdleTimeoutMs() > 0 ? limits.clientIdleTimeoutMs() : DEFAULT_CLIENT_IDLE_MS;
        ch.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS))
                .addLast("guard", guard(limits))
                .addLast("http", new HttpServerCodec(decoderConfig(limits)))
                .addLast("decode-check", new RequestDecodeCheck(
                        limits.maxHeaderCount() > 0 ? limits.maxHeaderCount() : DEFAULT_MAX_HEADER_COUNT))
                .addLast("frontend", new ProxyFrontendHandler(() -> loops.apply(eventLoop)));
    }

    /**
     * nginx's header buffers from the limits: the longest request line is one large buffer
     * ({@code large_client_header_buffers 4 8k} by default), the header block gets as many of
     * them as fit in the header limit.
     */
    static HttpRequestGuard guard(Limits limits) {
        int line = lineLimit(limits);
        return new HttpRequestGuard(line, Math.max(1, headerLimit(limits) / line));
    }

    /**
     * Netty's decoder only backs up the guard, which applies nginx's limits: its own are wider.
     * It keeps header names as they come (nginx ignores invalid ones, the frontend drops them).
     */
    static HttpDecoderConfig decoderConfig(Limits limits) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(lineLimit(limits) + 2)
                .setMaxHeaderSize(headerLimit(limits) + 1024)
                .setMaxChunkSize(64 * 1024)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true)
                .setValidateHeaders(false);
    }

    private static int lineLimit(Limits limits) {
        return limits.maxInitialLineBytes() > 0 ? limits.maxInitialLineBytes() : DEFAULT_MAX_INITIAL_LINE;
    }

    private static int headerLimit(Limits limits) {
        return limits.maxHeaderBytes() > 0 ? limits.maxHeaderBytes() : DEFAULT_MAX_HEADER_BYTES;
    }
}
