package dev.graft.host.proxy;

import static java.util.Objects.requireNonNull;

import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.config.GraftConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The reverse proxy: an HTTP/1.1 listener whose event loops each own a {@code RequestPipeline}
 * and a pool of upstream connections. Start it with {@link #start}; stop it with {@link #close},
 * or first {@link #drain} it for a graceful restart (the listener binds with SO_REUSEPORT on
 * epoll, so a new process can bind the same port while this one drains).
 */
public final class ProxyServer implements AutoCloseable {

    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final ChannelGroup clients;
    private final Map<EventLoop, LoopContext> loops;
    private final Channel listener;
    private volatile boolean draining;

    private ProxyServer(GraftConfig config, PipelineFactory pipelines, GraftMetrics metrics, Transport transport, int threads) {
        this.transport = transport;
        this.acceptors = transport.newGroup(1);
        this.workers = transport.newGroup(threads);
        this.clients = new DefaultChannelGroup("graft-clients", GlobalEventExecutor.INSTANCE);
        this.loops = new ConcurrentHashMap<>();
        createLoopContexts(config, pipelines, metrics);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ClientChannelInitializer(loops::get, clients));
        if (transport.isEpoll()) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        ChannelFuture bound = bootstrap.bind(config.listen().host(), config.listen().port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            acceptors.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("listen: " + config.listen().host() + ":" + config.listen().port()
                    + " (expected: a free address; bind failed: " + bound.cause().getMessage() + ")", bound.cause());
        }
        this.listener = bound.channel();
    }

    /**
     * Makes each event loop's pipeline on that loop's thread before the listener opens, so a
     * pipeline that cannot be built (a Lua chunk that does not compile) fails the start, not the
     * first request.
     */
    private void createLoopContexts(GraftConfig config, PipelineFactory pipelines, GraftMetrics metrics) {
        try {
            loops.putAll(buildLoopContexts(config, pipelines, metrics));
        } catch (IllegalStateException e) {
            acceptors.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    private Map<EventLoop, LoopContext> buildLoopContexts(GraftConfig config, PipelineFactory pipelines, GraftMetrics metrics) {
        Map<EventLoop, LoopContext> built = new HashMap<>();
        for (EventExecutor executor : workers) {
            EventLoop loop = (EventLoop) executor;
            Future<LoopContext> made = loop.submit(() -> new LoopContext(config, pipelines.create(loop),
                    new UpstreamPool(loop, transport), metrics, () -> draining)).awaitUninterruptibly();
            if (!made.isSuccess()) {
                throw new IllegalStateException("pipelines: " + made.cause()
                        + " (expected: a pipeline for each event loop)", made.cause());
            }
            built.put(loop, made.getNow());
        }
        return built;
    }

    /**
     * Soft reload: builds a new pipeline and upstream pool per event loop from {@code config}
     * (off the hot path, on each loop in turn) and swaps them in once all are built. Requests in
     * flight finish on what they started with; the next request of every connection uses the
     * new config. Old pools close their idle connections. The listen address and client limits
     * of connections already open do not change.
     *
     * @throws IllegalStateException when a pipeline cannot be made; the running config stays
     */
    public void reload(GraftConfig config, PipelineFactory pipelines, GraftMetrics metrics) {
        requireNonNull(config, "config");
        requireNonNull(pipelines, "pipelines");
        requireNonNull(metrics, "metrics");
        Map<EventLoop, LoopContext> built = buildLoopContexts(config, pipelines, metrics);
        for (Map.Entry<EventLoop, LoopContext> entry : built.entrySet()) {
            LoopContext old = loops.put(entry.getKey(), entry.getValue());
            if (old != null) {
                entry.getKey().execute(old.pool()::close);
            }
        }
    }

    /**
     * Binds {@code config.listen()} (port 0 picks a free port) and starts serving, with one event
     * loop per core and native epoll where available.
     *
     * <p>{@code pipelines} is called once per event loop, on that loop's thread, before this
     * method returns.
     *
     * @throws IllegalStateException when the address cannot be bound or a pipeline cannot be made
     */
    public static ProxyServer start(GraftConfig config, PipelineFactory pipelines, GraftMetrics metrics) {
        return start(config, pipelines, metrics, Transport.best(), Runtime.getRuntime().availableProcessors());
    }

    static ProxyServer start(GraftConfig config, PipelineFactory pipelines, GraftMetrics metrics, Transport transport, int threads) {
        requireNonNull(config, "config");
        requireNonNull(pipelines, "pipelines");
        requireNonNull(metrics, "metrics");
        return new ProxyServer(config, pipelines, metrics, transport, threads);
    }

    /** The port the listener is bound to. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** "epoll" or "nio". */
    public String transport() {
        return transport.name();
    }

    /** Stops accepting new connections; connections already open keep being served. */
    public CompletableFuture<Void> stopAccepting() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        listener.close().addListener(f -> done.complete(null));
        return done;
    }

    /**
     * Graceful stop: stops accepting, closes idle connections, lets busy ones finish their
     * current response (then close them), and completes when none is left or {@code grace} has
     * passed, whichever is first; connections still open then are closed.
     */
    public CompletableFuture<Void> drain(Duration grace) {
        requireNonNull(grace, "grace");
        CompletableFuture<Void> done = new CompletableFuture<>();
        stopAccepting().thenRun(() -> {
            // Only now do responses say Connection: close: a client that reconnects before the
            // listener is closed could land in its accept queue, which the close resets
            // (with SO_REUSEPORT the kernel spreads new connections over both processes).
            draining = true;
            for (Channel client : clients) {
                client.pipeline().fireUserEventTriggered(ProxyFrontendHandler.DRAIN);
            }
            long deadline = System.nanoTime() + grace.toNanos();
            GlobalEventExecutor.INSTANCE.execute(new Runnable() {
                @Override
                public void run() {
                    if (clients.isEmpty()) {
                        done.complete(null);
                    } else if (System.nanoTime() >= deadline) {
                        clients.close().addListener(f -> done.complete(null));
                    } else {
                        GlobalEventExecutor.INSTANCE.schedule(this, 20, TimeUnit.MILLISECONDS);
                    }
                }
            });
        });
        return done;
    }

    /** Closes the listener, every connection and the event loops; returns when they are down. */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        clients.close().awaitUninterruptibly();
        for (Map.Entry<EventLoop, LoopContext> entry : loops.entrySet()) {
            entry.getKey().submit(entry.getValue().pool()::close).awaitUninterruptibly();
        }
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** Upstream connections opened so far, over all event loops (for tests of pooling). */
    long upstreamConnectionsOpened() {
        long total = 0;
        for (Map.Entry<EventLoop, LoopContext> entry : loops.entrySet()) {
            total += entry.getKey().submit(entry.getValue().pool()::opened).syncUninterruptibly().getNow();
        }
        return total;
    }
}
