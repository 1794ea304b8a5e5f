package dev.graft.host.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.GraftServer;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.GraftConfig.Listener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The whole demo, running: origin-a and origin-b (echo), bucket, and Graft with the demo
 * config pointed at them. {@code graft demo} starts one; so do the tests that check what the
 * README promises.
 */
public final class Demo implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> ORIGINS = List.of("origin-a", "origin-b", "bucket");

    private final GraftServer server;
    private final List<DemoOrigin> origins;
    private final Map<String, InetSocketAddress> originAddresses;

    private Demo(GraftServer server, List<DemoOrigin> origins, Map<String, InetSocketAddress> originAddresses) {
        this.server = server;
        this.origins = origins;
        this.originAddresses = originAddresses;
    }

    /** What starting the demo gave. */
    public sealed interface Start {
        record Started(Demo demo) implements Start {}

        /** The demo config is not valid (after pointing its upstreams at the origins). */
        record Invalid(ConfigResult.Invalid errors) implements Start {}
    }

    /**
     * Starts the origins on 127.0.0.1 ({@code originPort} N gives N, N+1, N+2; 0 any free
     * ports), then Graft with {@code configFile}, on its listeners unless overridden.
     *
     * @throws GraftServer.StartFailed when an address cannot be bound or the scripts do not load
     */
    public static Start start(Path configFile, Optional<Listener> listen, Optional<Listener> admin, int originPort) {
        requireNonNull(configFile, "configFile");
        requireNonNull(listen, "listen");
        requireNonNull(admin, "admin");
        if (originPort < 0 || originPort > 65533) {
            throw new IllegalArgumentException("originPort: " + originPort + " (expected: 0 to 65533)");
        }
        List<DemoOrigin> started = new ArrayList<>();
        try {
            Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
            for (int i = 0; i < ORIGINS.size(); i++) {
                String name = ORIGINS.get(i);
                int port = originPort == 0 ? 0 : originPort + i;
                DemoOrigin o;
                try {
                    o = name.equals("bucket")
                            ? DemoOrigin.startBucket(name, "127.0.0.1", port)
                            : DemoOrigin.startEcho(name, "127.0.0.1", port);
                } catch (RuntimeException e) {
                    throw new GraftServer.StartFailed(name + ": cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
                }
                started.add(o);
                addresses.put(name, o.address());
            }
            Supplier<ConfigResult> source = () -> load(configFile, addresses);
            return switch (source.get()) {
                case ConfigResult.Invalid i -> {
                    started.forEach(DemoOrigin::close);
                    yield new Start.Invalid(i);
                }
                case ConfigResult.Valid v -> {
                    GraftConfig c = v.config();
                    GraftServer.Options options = GraftServer.Options.defaults().withConfigSource(source)
                            .withListen(listen.orElse(c.listen()))
                            .withAdmin(admin.orElse(c.admin().listen()));
                    yield new Start.Started(new Demo(GraftServer.start(c, options), List.copyOf(started), Map.copyOf(addresses)));
                }
            };
        } catch (RuntimeException e) {
            started.forEach(DemoOrigin::close);
            throw e;
        }
    }

    /** The demo config file, its upstreams pointed at the running origins. */
    private static ConfigResult load(Path configFile, Map<String, InetSocketAddress> origins) {
        JsonNode tree;
        try {
            tree = JSON.readTree(Files.readString(configFile));
        } catch (IOException e) {
            // The loader says what is wrong with the file, in its usual form.
            return ConfigLoader.load(configFile);
        }
        if (!(tree instanceof ObjectNode raw)) {
            return ConfigLoader.load(configFile);
        }
        Path base = configFile.toAbsolutePath().normalize().getParent();
        return ConfigLoader.check(DemoConfig.pointAt(raw, origins), base);
    }

    public GraftServer server() {
        return server;
    }

    /** The origins' addresses by name. */
    public Map<String, InetSocketAddress> origins() {
        return originAddresses;
    }

    /** Stops Graft, then the origins. */
    @Override
    public void close() {
        server.close();
        origins.forEach(DemoOrigin::close);
    }
}
