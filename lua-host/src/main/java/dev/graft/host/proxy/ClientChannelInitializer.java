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
    static final int DEFAULT_MAX_HEADER_COUNT = 100;
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
                .addLast("guard", new HttpRequestGuard())
                .addLast("http", new HttpServerCodec(decoderConfig(limits)))
                .addLast("decode-check", new RequestDecodeCheck(
                        limits.maxHeaderCount() > 0 ? limits.maxHeaderCount() : DEFAULT_MAX_HEADER_COUNT))
                .addLast("frontend", new ProxyFrontendHandler(() -> loops.apply(eventLoop)));
    }

    static HttpDecoderConfig decoderConfig(Limits limits) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxInitialLineBytes() > 0 ? limits.maxInitialLineBytes() : DEFAULT_MAX_INITIAL_LINE)
                .setMaxHeaderSize(limits.maxHeaderBytes() > 0 ? limits.maxHeaderBytes() : DEFAULT_MAX_HEADER_BYTES)
                .setMaxChunkSize(64 * 1024)
                .setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true)
                .setValidateHeaders(true);
    }
}
