package dev.graft.host.admin;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The admin listener: a small HTTP/1.1 server (loopback by default) for status, metrics and,
 * later, reload and rollout calls. Its routes are fixed at start.
 */
public final class AdminServer implements AutoCloseable {

    /** Admin requests are small: anything bigger is refused by the aggregator with a 413. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final Channel channel;

    private AdminServer(Channel channel) {
        this.channel = channel;
    }

    /** The standard routes: {@code GET /status} and {@code GET /metrics}. */
    public static List<AdminRoute> standardRoutes(StatusReport status, MicrometerGraftMetrics metrics) {
        requireNonNull(status, "status");
        requireNonNull(metrics, "metrics");
        List<AdminRoute> routes = new ArrayList<>();
        routes.add(AdminRoute.read(HttpMethod.GET, "/status", status));
        routes.add(AdminRoute.read(HttpMethod.GET, "/metrics", request ->
                AdminResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape())));
        return routes;
    }

    /** Binds and starts serving; blocks until bound. Throws if the address cannot be bound. */
    public static AdminServer start(EventLoopGroup group, String host, int port, AdminRouter router, String token)
            throws InterruptedException {
        requireNonNull(group, "group");
        requireNonNull(host, "host");
        requireNonNull(router, "router");
        requireNonNull(token, "token");
        Channel ch = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(
                                new ReadTimeoutHandler(60),
                                new HttpServerCodec(),
                                new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new AdminHandler(router, token));
                    }
                })
                .bind(host, port).sync().channel();
        return new AdminServer(ch);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
