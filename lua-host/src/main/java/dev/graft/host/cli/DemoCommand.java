package dev.graft.host.cli;

import dev.graft.host.GraftServer;
import dev.graft.host.config.GraftConfig.Listener;
import dev.graft.host.demo.Demo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
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
        Demo.Start start;
        try {
            start = Demo.start(file, Optional.ofNullable(listen), Optional.ofNullable(admin), originPort);
        } catch (GraftServer.StartFailed e) {
            err.println("graft: " + e.getMessage());
            return 1;
        }
        return switch (start) {
            case Demo.Start.Invalid i -> {
                CheckConfigCommand.printErrors(err, file, i.errors());
                yield 1;
            }
            case Demo.Start.Started s -> {
                Demo demo = s.demo();
                Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "graft-shutdown"));
                GraftServer server = demo.server();
                out.print(DemoBanner.text(server.config(), server.proxyAddress(), server.adminAddress(), demo.origins()));
                out.flush();
                server.awaitClosed();
                yield 0;
            }
        };
    }

    /** legacy-scripts/graft.json under $GRAFT_HOME (set by ./graft), else under the current folder. */
    static Path defaultConfig() {
        String home = System.getenv("GRAFT_HOME");
        Path root = home == null || home.isBlank() ? Path.of("") : Path.of(home);
        return root.resolve("legacy-scripts").resolve("graft.json");
    }
}
