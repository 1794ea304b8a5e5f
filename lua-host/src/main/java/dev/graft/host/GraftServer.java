package dev.graft.host;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.AdminRouter;
import dev.graft.host.admin.AdminServer;
import dev.graft.host.admin.MicrometerGraftMetrics;
import dev.graft.host.admin.StatusReport;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.GraftConfig.Listener;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The composition root: from a valid {@link GraftConfig} it builds the metrics registry, the
 * shared dicts, the proxy with one Lua pipeline per event loop, and the admin listener, and
 * starts them. {@code graft serve}, {@code graft demo} and the in-process tests all start
 * Graft through here.
 *
 * <pre>{@code
 * try (GraftServer graft = GraftServer.start(config, GraftServer.Options.defaults())) {
 *     int port = graft.proxyPort();   // the bound port, also when the config says 0
 * }
 * }</pre>
 */
public final class GraftServer implements AutoCloseable {

    /**
     * How to start, beyond the config.
     *
     * @param listen     where the proxy listens instead of the config's {@code listen}
     * @param admin      where the admin listener listens instead of the config's
     * @param eventLoops proxy event loops (and Lua VMs); 0 means one per core
     * @param clock      the clock shared dicts and status use
     */
    public record Options(Optional<Listener> listen, Optional<Listener> admin, int eventLoops, Clock clock) {
        public Options {
            requireNonNull(listen, "listen");
            requireNonNull(admin, "admin");
            requireNonNull(clock, "clock");
            if (eventLoops < 0) {
                throw new IllegalArgumentException("eventLoops: " + eventLoops + " (expected: 0 or more)");
            }
        }

        public static Options defaults() {
            return new Options(Optional.empty(), Optional.empty(), 0, Clock.systemUTC());
        }

        /** Both listeners on 127.0.0.1 with any free port: for tests. */
        public static Options ephemeral() {
            return defaults().withListen(new Listener("127.0.0.1", 0)).withAdmin(new Listener("127.0.0.1", 0));
        }

        public Options withListen(Listener l) {
            return new Options(Optional.of(l), admin, eventLoops, clock);
        }

        public Options withAdmin(Listener l) {
            return new Options(listen, Optional.of(l), eventLoops, clock);
        }

        public Options withEventLoops(int n) {
            return new Options(listen, admin, n, clock);
        }

        public Options withClock(Clock c) {
            return new Options(listen, admin, eventLoops, c);
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
    private final EventLoopGroup adminGroup;
    private final AdminServer admin;
    private final InetSocketAddress proxyAddress;
    private final CountDownLatch closed = new CountDownLatch(1);

    private GraftServer(GraftConfig config, MicrometerGraftMetrics metrics, SharedDicts sharedDicts,
                        EventLoopGroup adminGroup, AdminServer admin, InetSocketAddress proxyAddress) {
        this.config = config;
        this.metrics = metrics;
        this.sharedDicts = sharedDicts;
        this.adminGroup = adminGroup;
        this.admin = admin;
        this.proxyAddress = proxyAddress;
    }

    /** Builds and starts everything; on failure, whatever was started is stopped again. */
    public static GraftServer start(GraftConfig config, Options options) {
        requireNonNull(config, "config");
        requireNonNull(options, "options");
        Listener listen = options.listen().orElse(config.listen());
        Listener adminAt = options.admin().orElse(config.admin().listen());
        Instant started = options.clock().instant();
        MicrometerGraftMetrics metrics = new MicrometerGraftMetrics();
        SharedDicts dicts = SharedDicts.of(config.sharedDicts(), options.clock());
        EventLoopGroup adminGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            // TODO(wiring): the proxy from dev.graft.host.proxy with one LuaPipeline per loop.
            InetSocketAddress proxyAddress = new InetSocketAddress(listen.host(), listen.port());
            Map<String, InetSocketAddress> bound = new ConcurrentHashMap<>();
            bound.put("proxy", proxyAddress);
            // The admin address is known only after bind; the report keeps this map and reads it late.
            StatusReport status = new StatusReport(version(), started, options.clock(), config, () -> Map.copyOf(bound));
            AdminServer admin = bindAdmin(adminGroup, adminAt, status, metrics, config);
            bound.put("admin", admin.address());
            return new GraftServer(config, metrics, dicts, adminGroup, admin, proxyAddress);
        } catch (RuntimeException e) {
            adminGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            metrics.close();
            throw e;
        }
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
            throw new StartFailed("admin: cannot listen on " + at.host() + ":" + at.port() + ": " + e.getMessage(), e);
        }
    }

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

    /** Stops accepting, closes the listeners and event loops. Closing twice does nothing. */
    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        admin.close();
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
