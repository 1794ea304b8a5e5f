package dev.graft.host.demo;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A running demo origin: an echo service or a bucket (object store) service on one port, with
 * an event loop of its own. The demo command starts origin-a, origin-b and bucket; the
 * cross-check tests start the same ones.
 *
 * <pre>{@code
 * try (DemoOrigin a = DemoOrigin.startEcho("origin-a", "127.0.0.1", 0)) {
 *     int port = a.port();
 * }
 * }</pre>
 */
public final class DemoOrigin implements AutoCloseable {

    private final String name;
    private final EventLoopGroup group;
    private final Channel channel;

    private DemoOrigin(String name, EventLoopGroup group, Channel channel) {
        this.name = name;
        this.group = group;
        this.channel = channel;
    }

    /** Starts an echo origin named {@code name} on host:port (0 for any free port). */
    public static DemoOrigin startEcho(String name, String host, int port) {
        requireNonNull(name, "name");
        return start(name, host, port, () -> new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpServerExpectContinueHandler(), new EchoHandler(name));
            }
        });
    }

    /** Starts a bucket origin seeded with the demo objects. */
    public static DemoOrigin startBucket(String name, String host, int port) {
        return startBucket(name, host, port, BucketStore.seeded());
    }

    /** Starts a bucket origin over the given store. */
    public static DemoOrigin startBucket(String name, String host, int port, BucketStore store) {
        requireNonNull(name, "name");
        requireNonNull(store, "store");
        Clock clock = Clock.systemUTC();
        return start(name, host, port, () -> new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpServerExpectContinueHandler(),
                        new HttpObjectAggregator(BucketStore.MAX_OBJECT_BYTES + 1),
                        new BucketHandler(name, store, clock));
            }
        });
    }

    private static DemoOrigin start(String name, String host, int port, Supplier<ChannelInitializer<SocketChannel>> init) {
        requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(init.get())
                    .bind(host, port).syncUninterruptibly().channel();
            return new DemoOrigin(name, group, ch);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public String name() {
        return name;
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
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
