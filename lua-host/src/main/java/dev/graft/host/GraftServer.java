package dev.graft.host;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.AdminRouter;
import dev.graft.host.admin.AdminServer;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.admin.MicrometerGraftMetrics;
import dev.graft.host.admin.StatusReport;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.GraftConfig.Listener;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline;
import dev.graft.host.lua.LuaLibrary;
import dev.graft.host.lua.LuaPipeline;
import dev.graft.host.lua.LuaScripts;
import dev.graft.host.lua.lib.NgxLibraries;
import dev.graft.host.lua.lib.NgxTime;
import dev.graft.host.proxy.PipelineFactory;
import dev.graft.host.proxy.ProxyServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The composition root: from a valid {@link GraftConfig} it builds the metrics registry, the
 * shared dicts, the proxy with one Lua pipeline (one LuaJ VM) per event loop, and the admin
 * listener, and starts them. {@code graft serve}, {@code graft demo} and the in-process tests
 * all start Graft through here.
 *
 * <pre>{@code
 * GraftConfig config = ((ConfigResult.Valid) ConfigLoader.load(path)).config();
 * try (GraftServer graft = GraftServer.start(config, GraftServer.Options.ephemeral())) {
 *     int port = graft.proxyPort();   // the bound port, also when the config says 0
 * }
 * }</pre>
 */
public final class GraftServer implements AutoCloseable {

    /**
     * How to start, beyond the config.
     *
     * @param listen where the proxy listens instead of the config's {@code listen}
     * @param admin  where the admin listener listens instead of the config's
     * @param clock  the clock of shared dicts, {@code ngx.now} and status
     */
    public record Options(Optional<Listener> listen, Optional<Listener> admin, Clock clock) {
        public Options {
            requireNonNull(listen, "listen");
            requireNonNull(admin, "admin");
            requireNonNull(clock, "clock");
        }

        public static Options defaults() {
            return new Options(Optional.empty(), Optional.empty(), Clock.systemUTC());
        }

        /** Both listeners on 127.0.0.1 with any free port: for tests. */
        public static Options ephemeral() {
            return defaults().withListen(new Listener("127.0.0.1", 0)).withAdmin(new Listener("127.0.0.1", 0));
        }

        public Options withListen(Listener l) {
            return new Options(Optional.of(l), admin, clock);
        }

        public Options withAdmin(Listener l) {
            return new Options(listen, Optional.of(l), clock);
        }

        public Options withClock(Clock c) {
            return new Options(listen, admin, c);
        }
    }

    /** Starting failed for a reason outside the code (a port in use, scripts that do not load). */
    public static final class StartFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StartFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final GraftConfig config;
    private final MicrometerGraftMetrics metrics;
    private final SharedDicts sharedDicts;
    private final ProxyServer proxy;
    private final InetSocketAddress proxyAddress;
    private final EventLoopGroup adminGroup;
    private final AdminServer admin;
    private final CountDownLatch closed = new CountDownLatch(1);

    private GraftServer(GraftConfig config, MicrometerGraftMetrics metrics, SharedDicts sharedDicts, ProxyServer proxy,
                        InetSocketAddress proxyAddress, EventLoopGroup adminGroup, AdminServer admin) {
        this.config = config;
        this.metrics = metrics;
        this.sharedDicts = sharedDicts;
        this.proxy = proxy;
        this.proxyAddress = proxyAddress;
        this.adminGroup = adminGroup;
        this.admin = admin;
    }

    /**
     * Builds and starts everything: it first builds one Lua VM on the calling thread, so broken
     * scripts fail here, not on the first request. On failure whatever was started is stopped.
     *
     * @throws StartFailed when an address cannot be bound or the Lua pipeline does not load
     */
    public static GraftServer start(GraftConfig config, Options options) {
        requireNonNull(config, "config");
        requireNonNull(options, "options");
        Listener listen = options.listen().orElse(config.listen());
        Listener adminAt = options.admin().orElse(config.admin().listen());
        GraftConfig effective = withListen(config, listen);
        Instant started = options.clock().instant();
        MicrometerGraftMetrics metrics = new MicrometerGraftMetrics();
        SharedDicts dicts = SharedDicts.of(config.sharedDicts(), options.clock());
        ProxyServer proxy = null;
        EventLoopGroup adminGroup = null;
        try {
            PipelineFactory pipelines = luaPipelines(effective, dicts, options.clock(), metrics);
            try {
                proxy = ProxyServer.start(effective, pipelines, metrics);
            } catch (IllegalStateException e) {
                // ProxyServer says "listen: ..." for a bind failure, "pipelines: ..." for a pipeline
                throw new StartFailed(e.getMessage().startsWith("listen:")
                        ? "proxy: cannot listen on " + listen.host() + ":" + listen.port() + ": " + rootMessage(e)
                        : "proxy: " + rootMessage(e), e);
            }
            InetSocketAddress proxyAddress = new InetSocketAddress(listen.host(), proxy.port());
            Map<String, InetSocketAddress> bound = new ConcurrentHashMap<>();
            bound.put("proxy", proxyAddress);
            // The admin address is known only after bind; the report reads the map at each request.
            Map<String, String> runtime = Map.of(
                    "transport", proxy.transport(),
                    "event_loops", Integer.toString(Runtime.getRuntime().availableProcessors()),
                    "java", Runtime.version().toString());
            StatusReport status = new StatusReport(version(), started, options.clock(), effective,
                    () -> Map.copyOf(bound), runtime);
            adminGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            AdminServer admin = bindAdmin(adminGroup, adminAt, status, metrics, config);
            bound.put("admin", admin.address());
            return new GraftServer(effective, metrics, dicts, proxy, proxyAddress, adminGroup, admin);
        } catch (RuntimeException e) {
            if (proxy != null) {
                proxy.close();
            }
            if (adminGroup != null) {
                adminGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
            metrics.close();
            throw e;
        }
    }

    /**
     * One {@link LuaPipeline} per event loop. The first is built now, on this thread, to fail
     * fast with the Lua error; the first loop the proxy asks takes it over (it has not run a
     * request yet, so handing it to that thread is safe), the others build their own on their
     * thread.
     */
    private static PipelineFactory luaPipelines(GraftConfig config, SharedDicts dicts, Clock clock, GraftMetrics metrics) {
        LuaScripts scripts;
        try {
            scripts = LuaScripts.open(config.scripts());
        } catch (IllegalArgumentException e) {
            throw new StartFailed(e.getMessage(), e);
        }
        int workers = Runtime.getRuntime().availableProcessors();
        AtomicReference<RequestPipeline> first = new AtomicReference<>(
                switch (build(config, scripts, dicts, clock, metrics, 0, workers)) {
                    case Built.Ok ok -> ok.pipeline();
                    case Built.Failed f -> throw new StartFailed(f.message(), null);
                });
        AtomicInteger nextId = new AtomicInteger(1);
        return loop -> {
            RequestPipeline ready = first.getAndSet(null);
            if (ready != null) {
                return ready;
            }
            return switch (build(config, scripts, dicts, clock, metrics, nextId.getAndIncrement(), workers)) {
                case Built.Ok ok -> ok.pipeline();
                // ProxyServer turns this into a refused start (or reload), never a half-built proxy
                case Built.Failed f -> throw new IllegalStateException(f.message());
            };
        };
    }

    /**
     * Builds one Lua pipeline from the config, as start would, and drops it: every module
     * compiled and the driver's init run. For {@code graft check-config}.
     *
     * @return why the pipeline does not build, or empty when it does
     */
    public static Optional<String> checkLua(GraftConfig config) {
        requireNonNull(config, "config");
        LuaScripts scripts;
        try {
            scripts = LuaScripts.open(config.scripts());
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        Clock clock = Clock.systemUTC();
        return switch (build(config, scripts, SharedDicts.of(config.sharedDicts(), clock), clock, GraftMetrics.NONE, 0, 1)) {
            case Built.Ok ok -> Optional.empty();
            case Built.Failed f -> Optional.of(f.message());
        };
    }

    private sealed interface Built {
        record Ok(RequestPipeline pipeline) implements Built {}

        record Failed(String message) implements Built {}
    }

    private static Built build(GraftConfig config, LuaScripts scripts, SharedDicts dicts, Clock clock,
                               GraftMetrics metrics, int workerId, int workers) {
        AtomicReference<NgxTime> time = new AtomicReference<>();
        List<LuaLibrary> libraries = List.of((g, ngx) -> time.set(NgxLibraries.installAll(g, ngx, dicts, clock)));
        // nginx refreshes its time cache once per event-loop turn; here before each phase call
        Runnable refreshTime = () -> time.get().refresh();
        return switch (LuaPipeline.create(config, scripts, metrics, workerId, workers, libraries, refreshTime)) {
            case LuaPipeline.Build.Ready r -> new Built.Ok(new CustomerTagging(r.pipeline()));
            case LuaPipeline.Build.Failed f -> new Built.Failed(f.message());
        };
    }

    /**
     * Copies the customer the Lua driver resolved ({@code ngx.ctx.customer}) into the
     * {@code graft_customer} variable, which the proxy tags its request metrics with. (On nginx
     * the config declares {@code $graft_customer} and the driver sets it; here nothing declares
     * it, so the driver leaves it unset.)
     */
    private record CustomerTagging(RequestPipeline delegate) implements RequestPipeline {
        private static final String VARIABLE = "graft_customer";

        @Override
        public boolean wantsBody(Exchange exchange) {
            return delegate.wantsBody(exchange);
        }

        @Override
        public Verdict onRequest(Exchange exchange) {
            Verdict v = delegate.onRequest(exchange);
            if (!exchange.variables().containsKey(VARIABLE)) {
                LuaPipeline.customer(exchange).ifPresent(c -> exchange.variables().put(VARIABLE, c));
            }
            return v;
        }

        @Override
        public void onResponseHead(Exchange exchange) {
            delegate.onResponseHead(exchange);
        }

        @Override
        public boolean filtersBody(Exchange exchange) {
            return delegate.filtersBody(exchange);
        }

        @Override
        public byte[] onResponseBody(Exchange exchange, byte[] chunk, boolean last) {
            return delegate.onResponseBody(exchange, chunk, last);
        }

        @Override
        public void onLog(Exchange exchange) {
            delegate.onLog(exchange);
        }
    }

    private static GraftConfig withListen(GraftConfig c, Listener listen) {
        return new GraftConfig(listen, c.admin(), c.scripts(), c.pipeline(), c.upstreams(), c.customers(),
                c.sharedDicts(), c.limits(), c.raw(), c.defaultUpstream(), c.luaInstructionBudget());
    }

    private static AdminServer bindAdmin(EventLoopGroup group, Listener at, StatusReport status,
                                         MicrometerGraftMetrics metrics, GraftConfig config) {
        try {
            return AdminServer.start(group, at.host(), at.port(),
                    new AdminRouter(AdminServer.standardRoutes(status, metrics)), config.admin().token());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartFailed("admin: interrupted while binding " + at.host() + ":" + at.port(), e);
        } catch (Exception e) {
            // Netty rethrows the bind failure (a checked exception) from sync().
            throw new StartFailed("admin: cannot listen on " + at.host() + ":" + at.port() + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** The config as running (with the listen address actually asked for). */
    public GraftConfig config() {
        return config;
    }

    public MicrometerGraftMetrics metrics() {
        return metrics;
    }

    public SharedDicts sharedDicts() {
        return sharedDicts;
    }

    public InetSocketAddress proxyAddress() {
        return proxyAddress;
    }

    public int proxyPort() {
        return proxyAddress.getPort();
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    public int adminPort() {
        return admin.port();
    }

    /** Stops accepting, closes every connection, the listeners and event loops. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        proxy.close();
        admin.close();
        adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        metrics.close();
        closed.countDown();
    }

    /**
     * Graceful stop (SIGTERM): stops accepting, lets requests in flight finish for up to
     * {@code grace}, then closes everything.
     */
    public void shutdown(Duration grace) {
        requireNonNull(grace, "grace");
        synchronized (this) {
            if (closed.getCount() == 0) {
                return;
            }
        }
        try {
            proxy.drain(grace).get(grace.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // close() below ends whatever is still open
        }
        close();
    }

    /** Blocks until {@link #close()} has finished (for the CLI's main thread). */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** The version of the running build, from the jar's Maven metadata ("dev" when run from classes). */
    public static String version() {
        try (InputStream in = GraftServer.class.getResourceAsStream("/META-INF/maven/dev.graft/lua-host/pom.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
