package dev.graft.host.proxy;

import dev.graft.host.config.GraftConfig.Server;
import dev.graft.host.config.GraftConfig.UpstreamConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keep-alive connections to origin servers, for one event loop: connections are opened on that
 * loop, so a client channel and its upstream channel share a thread and need no locks. Idle
 * connections are reused most-recent first, expire after the upstream's idle timeout, and leave
 * the pool as soon as the origin closes them.
 */
final class UpstreamPool {

    static final int DEFAULT_MAX_IDLE = 32;
    static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
    static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

    private final EventLoop loop;
    private final Transport transport;
    private final Map<Server, ArrayDeque<Channel>> idle = new HashMap<>();
    private long opened;
    private boolean closed;

    UpstreamPool(EventLoop loop, Transport transport) {
        this.loop = loop;
        this.transport = transport;
    }

    /** A connection to {@code server}: an idle one if any is alive, else a new one. */
    Future<Channel> acquire(Server server, UpstreamConfig config) {
        ArrayDeque<Channel> parked = idle.get(server);
        while (parked != null && !parked.isEmpty()) {
            Channel channel = parked.pollFirst();
            UpstreamHandler handler = channel.pipeline().get(UpstreamHandler.class);
            if (channel.isActive() && handler != null) {
                return loop.newSucceededFuture(channel);
            }
            channel.close();
        }
        return connect(server, config);
    }

    private Future<Channel> connect(Server server, UpstreamConfig config) {
        opened++;
        Promise<Channel> promise = loop.newPromise();
        long connectTimeout = config.connectTimeoutMs() > 0 ? config.connectTimeoutMs() : DEFAULT_CONNECT_TIMEOUT_MS;
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(transport.channel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast("raw-target", new RawTargetBytes())
                                .addLast("http", new HttpClientCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(16 * 1024)
                                        .setMaxHeaderSize(64 * 1024)
                                        .setMaxChunkSize(64 * 1024), false, false))
                                .addLast("upstream", new UpstreamHandler());
                    }
                })
                .connect(server.host(), server.port());
        connect.addListener(f -> {
            if (f.isSuccess()) {
                promise.setSuccess(connect.channel());
            } else {
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }

    /** Returns a connection whose last exchange completed cleanly. */
    void release(Channel channel, Server server, UpstreamConfig config) {
        int maxIdle = config.maxIdlePerLoop() > 0 ? config.maxIdlePerLoop() : DEFAULT_MAX_IDLE;
        ArrayDeque<Channel> parked = idle.computeIfAbsent(server, s -> new ArrayDeque<>());
        UpstreamHandler handler = channel.pipeline().get(UpstreamHandler.class);
        if (closed || !channel.isActive() || handler == null || parked.size() >= maxIdle) {
            channel.close();
            return;
        }
        parked.addFirst(channel);
        long idleTimeout = config.idleTimeoutMs() > 0 ? config.idleTimeoutMs() : DEFAULT_IDLE_TIMEOUT_MS;
        handler.enterPool(idleTimeout, () -> parked.remove(channel));
    }

    /** How many connections this pool has opened, for tests and metrics. */
    long opened() {
        return opened;
    }

    int idleCount() {
        int count = 0;
        for (ArrayDeque<Channel> parked : idle.values()) {
            count += parked.size();
        }
        return count;
    }

    /** Closes every idle connection and refuses to keep more. */
    void close() {
        closed = true;
        for (ArrayDeque<Channel> parked : idle.values()) {
            for (Channel channel : parked.toArray(new Channel[0])) {
                channel.close();
            }
            parked.clear();
        }
    }
}
