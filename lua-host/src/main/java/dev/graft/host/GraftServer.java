package dev.graft.host;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.AdminResponse;
import dev.graft.host.admin.AdminRoute;
import dev.graft.host.admin.AdminRouter;
import dev.graft.host.admin.AdminServer;
import dev.graft.host.admin.Dashboard;
import dev.graft.host.admin.MicrometerGraftMetrics;
import dev.graft.host.bridge.BridgePipelines;
import dev.graft.host.rollout.LiveRollout;
import dev.graft.host.rollout.RolloutControl;
import dev.graft.host.admin.StatusReport;
import dev.graft.host.config.ConfigError;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.GraftConfig.Listener;
import dev.graft.host.proxy.PipelineFactory;
import dev.graft.host.proxy.ProxyServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The composition root: from a valid {@link GraftConfig} it builds the metrics registry, the
 * shared dicts, the proxy with one Lua pipeline (one LuaJ VM) per event loop
 * ({@link BridgePipelines}: the Lua driver, with Java-backed handlers for the modules the
 * rollout serves from Java), and the admin listener, and starts them. {@code graft serve},
 * {@code graft demo} and the in-process tests all start Graft through here.
 *
 * <pre>{@code
 * GraftConfig config = ((ConfigResult.Valid) ConfigLoader.load(path)).config();
 * try (GraftServer graft = GraftServer.start(config, GraftServer.Options.ephemeral())) {
 *     int port = graft.proxyPort();   // the bound port, also when the config says 0
 * }
 * }</pre>
 */
public final class GraftServer implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * How to start, beyond the config.
     *
     * @param listen       where the proxy listens instead of the config's {@code listen}
     * @param admin        where the admin listener listens instead of the config's
     * @param clock        the clock of shared dicts, {@code ngx.now} and status
     * @param configSource where a reload reads the new config from (the config file, for
     *                     serve); without one, {@code POST /reload} answers 409
     */
    public record Options(Optional<Listener> listen, Optional<Listener> admin, Clock clock,
                          Optional<Supplier<ConfigResult>> configSource) {
        public Options {
            requireNonNull(listen, "listen");
            requireNonNull(admin, "admin");
            requireNonNull(clock, "clock");
            requireNonNull(configSource, "configSource");
        }

        public static Options defaults() {
            return new Options(Optional.empty(), Optional.empty(), Clock.systemUTC(), Optional.empty());
        }

        /** Both listeners on 127.0.0.1 with any free port: for tests. */
        public static Options ephemeral() {
            return defaults().withListen(new Listener("127.0.0.1", 0)).withAdmin(new Listener("127.0.0.1", 0));
        }

        public Options withListen(Listener l) {
            return new Options(Optional.of(l), admin, clock, configSource);
        }

        public Options withAdmin(Listener l) {
            return new Options(listen, Optional.of(l), clock, configSource);
        }

        public Options withClock(Clock c) {
            return new Options(listen, admin, c, configSource);
        }

        public Options withConfigSource(Supplier<ConfigResult> source) {
            return new Options(listen, admin, clock, Optional.of(source));
        }
    }

    /** Starting failed for a reason outside the code (a port in use, scripts that do not load). */
    public static final class StartFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StartFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What a reload did. */
    public sealed interface Reload {
        /**
         * The new config serves the next request of every connection.
         *
         * @param notApplied settings that changed but need a restart (listeners, admin token)
         */
        record Applied(int generation, List<String> notApplied) implements Reload {
            public Applied {
                notApplied = List.copyOf(notApplied);
            }
        }

        /** Nothing changed: the config is invalid, or its pipeline does not build. */
        record Refused(List<String> errors) implements Reload {
            public Refused {
                errors = List.copyOf(errors);
            }
        }
    }

    private final Options options;
    private final GraftConfig startConfig;
    private final MicrometerGraftMetrics metrics;
    private final SharedDicts sharedDicts;
    private final ProxyServer proxy;
    private final InetSocketAddress proxyAddress;
    private final EventLoopGroup adminGroup;
    private volatile AdminServer admin;
    private volatile RolloutControl rollout;
    private volatile GraftConfig config;
    private volatile int generation;
    private final CountDownLatch closed = new CountDownLatch(1);

    private GraftServer(Options options, GraftConfig startConfig, GraftConfig config, MicrometerGraftMetrics metrics,
                        SharedDicts sharedDicts, ProxyServer proxy, InetSocketAddress proxyAddress,
                        EventLoopGroup adminGroup) {
        this.options = options;
        this.startConfig = startConfig;
        this.config = config;
        this.metrics = metrics;
        this.sharedDicts = sharedDicts;
        this.proxy = proxy;
        this.proxyAddress = proxyAddress;
        this.adminGroup = adminGroup;
    }

    /**
     * Builds and starts everything. One Lua VM is built first on the calling thread, so broken
     * scripts fail here with their Lua error, not on the first request. On failure whatever was
     * started is stopped again.
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
        // issue 7: the live mode table, rollback monitor and audit (system property graft.rollout.audit: a JSONL file)
        RolloutControl rollout = RolloutControl.start(config.rollout(), metrics.registry(), options.clock(),
                Optional.ofNullable(System.getProperty("graft.rollout.audit")).map(java.nio.file.Path::of), 1000);
        try {
            proxy = startProxy(effective, pipelines(effective, dicts, options.clock(), metrics, rollout.live()), metrics);
            InetSocketAddress proxyAddress = new InetSocketAddress(listen.host(), proxy.port());
            adminGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            GraftServer server = new GraftServer(options, config, effective, metrics, dicts, proxy, proxyAddress, adminGroup);
            server.rollout = rollout;
            Map<String, String> runtime = Map.of(
                    "transport", proxy.transport(),
                    "event_loops", Integer.toString(Runtime.getRuntime().availableProcessors()),
                    "java", Runtime.version().toString());
            StatusReport status = new StatusReport(version(), started, options.clock(), runtime, server::live);
            List<AdminRoute> routes = new ArrayList<>(AdminServer.standardRoutes(status, metrics));
            routes.add(AdminRoute.mutating(HttpMethod.POST, "/reload", request -> server.reloadEndpoint()));
            routes.addAll(rollout.routes(config.pipeline().stream().map(GraftConfig.PipelineStage::module)
                    .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)),
                    config.admin().token(), server.rolloutHost()));
            routes.add(AdminRoute.mutating(HttpMethod.POST, "/drain", server::drainEndpoint));
            routes.addAll(new Dashboard(server::config, metrics).routes());
            server.admin = bindAdmin(adminGroup, adminAt, new AdminRouter(routes), config.admin().token());
            return server;
        } catch (RuntimeException e) {
            if (proxy != null) {
                proxy.close();
            }
            if (adminGroup != null) {
                adminGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
            rollout.close();
            metrics.close();
            throw e;
        }
    }

    /**
     * The pipelines of a config generation: the Lua driver with Java-backed handlers for the
     * modules the rollout serves from Java, and the native path ({@link BridgePipelines}).
     */
    private static PipelineFactory pipelines(GraftConfig config, SharedDicts dicts, Clock clock,
                                             MicrometerGraftMetrics metrics, LiveRollout live) {
        try {
            return BridgePipelines.factory(config, dicts, clock, metrics, live);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new StartFailed(e.getMessage(), e);
        }
    }

    private static ProxyServer startProxy(GraftConfig config, PipelineFactory pipelines,
                                          MicrometerGraftMetrics metrics) {
        try {
            return ProxyServer.start(config, pipelines, metrics);
        } catch (IllegalStateException e) {
            // ProxyServer says "listen: ..." for a bind failure, "pipelines: ..." for a pipeline
            throw new StartFailed(e.getMessage().startsWith("listen:")
                    ? "proxy: cannot listen on " + config.listen().host() + ":" + config.listen().port() + ": "
                            + rootMessage(e)
                    : "proxy: " + rootMessage(e), e);
        }
    }

    private static AdminServer bindAdmin(EventLoopGroup group, Listener at, AdminRouter router, String token) {
        try {
            return AdminServer.start(group, at.host(), at.port(), router, token);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartFailed("admin: interrupted while binding " + at.host() + ":" + at.port(), e);
        } catch (Exception e) {
            // Netty rethrows the bind failure (a checked exception) from sync().
            throw new StartFailed("admin: cannot listen on " + at.host() + ":" + at.port() + ": " + rootMessage(e), e);
        }
    }

    /**
     * Soft reload: builds the new config's pipelines (off the hot path) and swaps them in;
     * requests in flight finish on the old ones. Listeners and the admin token stay as started;
     * shared dicts must stay as they are (their contents, the rate limiters' counters, survive).
     */
    public synchronized Reload reload(GraftConfig next) {
        requireNonNull(next, "next");
        GraftConfig running = config;
        if (!next.sharedDicts().equals(running.sharedDicts())) {
            return new Reload.Refused(List.of("shared_dicts: " + next.sharedDicts()
                    + " (expected: the running " + running.sharedDicts() + "; changing them needs a restart)"));
        }
        List<String> notApplied = new ArrayList<>();
        if (!next.listen().equals(startConfig.listen())) {
            notApplied.add("listen");
        }
        if (!next.admin().equals(startConfig.admin())) {
            notApplied.add("admin");
        }
        GraftConfig effective = withListen(next, running.listen());
        try {
            proxy.reload(effective, pipelines(effective, sharedDicts, options.clock(), metrics, rollout.live()), metrics);
        } catch (StartFailed | IllegalStateException e) {
            return new Reload.Refused(List.of(rootMessage(e)));
        }
        config = effective;
        generation++;
        rollout.reloaded(effective.rollout());
        return new Reload.Applied(generation, notApplied);
    }

    /**
     * Soft reload from the config source (the config file, for serve): what SIGHUP and
     * {@code POST /reload} do. An invalid file is refused like a pipeline that does not build.
     */
    public Reload reloadFromSource() {
        if (options.configSource().isEmpty()) {
            return new Reload.Refused(List.of("this process has no config source to reload from"));
        }
        return switch (options.configSource().get().get()) {
            case ConfigResult.Invalid i -> new Reload.Refused(i.errors().stream().map(ConfigError::message).toList());
            case ConfigResult.Valid v -> reload(v.config());
        };
    }

    /**
     * {@code POST /drain[?grace_ms=N]}: the old process's half of a graceful restart. Answers
     * 202 at once; then, on a thread of its own, stops accepting, lets requests in flight and
     * keep-alive connections finish for up to the grace (default 10 s) and closes, which ends
     * {@code graft serve}.
     */
    private AdminResponse drainEndpoint(io.netty.handler.codec.http.FullHttpRequest request) {
        Duration grace = Duration.ofSeconds(10);
        String q = new io.netty.handler.codec.http.QueryStringDecoder(request.uri()).parameters()
                .getOrDefault("grace_ms", List.of()).stream().findFirst().orElse("");
        if (!q.isEmpty()) {
            try {
                grace = Duration.ofMillis(Long.parseLong(q));
            } catch (NumberFormatException e) {
                return AdminResponse.error(400, "grace_ms: " + q + " (expected: milliseconds)");
            }
            if (grace.isNegative()) {
                return AdminResponse.error(400, "grace_ms: " + q + " (expected: 0 or more)");
            }
        }
        Duration g = grace;
        Thread.ofPlatform().name("graft-drain").start(() -> shutdown(g));
        return AdminResponse.json(202, "{\"draining\":true,\"grace_ms\":" + g.toMillis() + "}");
    }

    private AdminResponse reloadEndpoint() {
        if (options.configSource().isEmpty()) {
            return AdminResponse.error(409, "this process has no config source to reload from");
        }
        ObjectNode body = JSON.createObjectNode();
        Reload result = reloadFromSource();
        return switch (result) {
            case Reload.Applied a -> {
                body.put("reloaded", true).put("generation", a.generation());
                a.notApplied().forEach(body.putArray("needs_restart")::add);
                yield AdminResponse.json(200, body.toString());
            }
            case Reload.Refused r -> {
                body.put("reloaded", false);
                r.errors().forEach(body.putArray("errors")::add);
                yield AdminResponse.json(422, body.toString());
            }
        };
    }

    /** What the rollout's admin endpoints need: the running config, and a reload with a new rollout. */
    private RolloutControl.Host rolloutHost() {
        return new RolloutControl.Host() {
            @Override
            public GraftConfig running() {
                return config;
            }

            @Override
            public Optional<String> reloadWith(GraftConfig next) {
                return switch (reload(next)) {
                    case Reload.Applied a -> Optional.empty();
                    case Reload.Refused r -> Optional.of(String.join("; ", r.errors()));
                };
            }
        };
    }

    /** The live mode table, rollback monitor and audit of issue 7. */
    public RolloutControl rollout() {
        return rollout;
    }

    private StatusReport.Live live() {
        AdminServer a = admin;
        return new StatusReport.Live(config, generation, a == null
                ? Map.of("proxy", proxyAddress)
                : Map.of("proxy", proxyAddress, "admin", a.address()));
    }

    /**
     * Builds one Lua pipeline from the config, as start would, and drops it: every module
     * compiled and the driver's init run. For {@code graft check-config}.
     *
     * @return why the pipeline does not build, or empty when it does
     */
    public static Optional<String> checkLua(GraftConfig config) {
        return BridgePipelines.check(requireNonNull(config, "config"));
    }

    private static GraftConfig withListen(GraftConfig c, Listener listen) {
        return new GraftConfig(listen, c.admin(), c.scripts(), c.pipeline(), c.upstreams(), c.customers(),
                c.sharedDicts(), c.limits(), c.raw(), c.defaultUpstream(), c.luaInstructionBudget(), c.rollout());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** The running config (with the listen address actually asked for). */
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

    /** Stops accepting, closes every connection, the listeners and event loops. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        proxy.close();
        admin.close();
        rollout.close();
        adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        metrics.close();
        closed.countDown();
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
