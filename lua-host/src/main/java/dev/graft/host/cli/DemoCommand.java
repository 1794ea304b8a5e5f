package dev.graft.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.GraftServer;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig.Listener;
import dev.graft.host.demo.DemoConfig;
import dev.graft.host.demo.DemoOrigin;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code graft demo}: starts the demo origins (origin-a, origin-b, bucket), then Graft on
 * loopback with legacy-scripts/graft.json pointed at them, and prints what to try.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts demo origins and Graft with legacy-scripts/graft.json on loopback, and prints curl lines to try.")
final class DemoCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> ORIGINS = List.of("origin-a", "origin-b", "bucket");

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "the demo config (default: legacy-scripts/graft.json under $GRAFT_HOME or the current folder)")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = ListenerConverter.class,
            description = "where the proxy listens (default: the config's, 127.0.0.1:8080)")
    Listener listen;

    @Option(names = "--admin", paramLabel = "HOST:PORT", converter = ListenerConverter.class,
            description = "where the admin listener listens (default: the config's, 127.0.0.1:9090)")
    Listener admin;

    @Option(names = "--origin-port", paramLabel = "N", defaultValue = "0",
            description = "origin-a listens on N, origin-b on N+1, bucket on N+2 (default 0: any free ports)")
    int originPort;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = config != null ? config : defaultConfig();
        if (originPort < 0 || originPort > 65533) {
            err.println("graft: --origin-port: " + originPort + " (expected: 0, or a port from 1 to 65533)");
            return 2;
        }
        ObjectNode raw;
        try {
            JsonNode tree = JSON.readTree(Files.readString(file));
            if (!(tree instanceof ObjectNode o)) {
                return invalid(err, file, ConfigLoader.load(file));
            }
            raw = o;
        } catch (IOException e) {
            // Let the loader say what is wrong, in its usual form.
            return invalid(err, file, ConfigLoader.load(file));
        }
        List<DemoOrigin> origins = new ArrayList<>();
        GraftServer server = null;
        try {
            Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
            for (int i = 0; i < ORIGINS.size(); i++) {
                String name = ORIGINS.get(i);
                int port = originPort == 0 ? 0 : originPort + i;
                DemoOrigin o = name.equals("bucket")
                        ? DemoOrigin.startBucket(name, "127.0.0.1", port)
                        : DemoOrigin.startEcho(name, "127.0.0.1", port);
                origins.add(o);
                addresses.put(name, o.address());
            }
            Path base = file.toAbsolutePath().normalize().getParent();
            ConfigResult result = ConfigLoader.check(DemoConfig.pointAt(raw, addresses), base);
            if (!(result instanceof ConfigResult.Valid valid)) {
                closeAll(origins);
                return invalid(err, file, result);
            }
            GraftServer.Options options = GraftServer.Options.defaults();
            options = options.withListen(listen != null ? listen : valid.config().listen());
            options = options.withAdmin(admin != null ? admin : valid.config().admin().listen());
            server = GraftServer.start(valid.config(), options);
            GraftServer running = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.close();
                closeAll(origins);
            }, "graft-shutdown"));
            out.print(DemoBanner.text(valid.config(), running.proxyAddress(), running.adminAddress(), addresses));
            out.flush();
            running.awaitClosed();
            return 0;
        } catch (GraftServer.StartFailed e) {
            err.println("graft: " + e.getMessage());
            closeAll(origins);
            return 1;
        } catch (RuntimeException e) {
            if (server == null && isBindFailure(e)) {
                err.println("graft: cannot start the demo origins: " + e.getMessage() + " (try --origin-port with a free port)");
                closeAll(origins);
                return 1;
            }
            throw e;
        }
    }

    private static int invalid(PrintWriter err, Path file, ConfigResult result) {
        if (result instanceof ConfigResult.Invalid i) {
            CheckConfigCommand.printErrors(err, file, i);
        }
        return 1;
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException) {
                return true;
            }
        }
        return e instanceof java.net.BindException;
    }

    private static void closeAll(List<DemoOrigin> origins) {
        origins.forEach(DemoOrigin::close);
    }

    /** legacy-scripts/graft.json under $GRAFT_HOME (set by ./graft), else under the current folder. */
    static Path defaultConfig() {
        String home = System.getenv("GRAFT_HOME");
        Path root = home == null || home.isBlank() ? Path.of("") : Path.of(home);
        return root.resolve("legacy-scripts").resolve("graft.json");
    }
}
