package dev.graft.host.cli;

import dev.graft.host.GraftServer;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig.Listener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code graft serve --config FILE}: runs Graft until it is stopped. SIGHUP (or
 * {@code POST /reload}) reloads scripts and config softly; SIGTERM/SIGINT (or {@code POST /drain})
 * drains: no new connections, requests in flight and keep-alive connections get up to 10 s.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the proxy and the admin listener from a config file until stopped.")
final class ServeCommand implements Callable<Integer> {

    private static final java.time.Duration SHUTDOWN_GRACE = java.time.Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the JSON config file")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = ListenerConverter.class,
            description = "where the proxy listens (default: the config's listen)")
    Listener listen;

    @Option(names = "--admin", paramLabel = "HOST:PORT", converter = ListenerConverter.class,
            description = "where the admin listener listens (default: the config's admin.listen)")
    Listener admin;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = config;
        // POST /reload on the admin listener re-reads the same file
        GraftServer.Options options = GraftServer.Options.defaults().withConfigSource(() -> ConfigLoader.load(file));
        if (listen != null) {
            options = options.withListen(listen);
        }
        if (admin != null) {
            options = options.withAdmin(admin);
        }
        return switch (ConfigLoader.load(config)) {
            case ConfigResult.Invalid i -> {
                CheckConfigCommand.printErrors(err, config, i);
                yield 1;
            }
            case ConfigResult.Valid v -> run(out, err, v, options);
        };
    }

    private int run(PrintWriter out, PrintWriter err, ConfigResult.Valid valid, GraftServer.Options options)
            throws InterruptedException {
        GraftServer server;
        try {
            server = GraftServer.start(valid.config(), options);
        } catch (GraftServer.StartFailed e) {
            err.println("graft: " + e.getMessage());
            err.flush();
            return 1;
        }
        // SIGTERM/SIGINT: requests in flight get a few seconds to finish; nothing new is accepted.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdown(SHUTDOWN_GRACE), "graft-shutdown"));
        // SIGHUP: soft reload from the same file, as POST /reload
        ReloadSignal.install(server, err).ifPresent(why -> {
            err.println("graft: " + why);
            err.flush();
        });
        out.println("graft " + GraftServer.version() + ": proxy on http://" + hostPort(server.proxyAddress())
                + ", admin on http://" + hostPort(server.adminAddress()) + " (" + CheckConfigCommand.shape(valid.config()) + ")");
        out.flush();
        server.awaitClosed();
        return 0;
    }

    static String hostPort(java.net.InetSocketAddress a) {
        String host = a.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
