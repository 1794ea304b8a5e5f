package dev.graft.tests.harness;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.GraftServer;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts Graft in this process through its composition root, {@link GraftServer}, on the
 * config file as the CLI would read it. While the proxy is not wired into GraftServer yet
 * (nothing accepts on the listener), the launch says so instead of letting a suite pass
 * against nothing.
 */
public final class GraftLauncher implements ProxyLauncher {

    private static final JsonMapper JSON = new JsonMapper();

    @Override
    public String name() {
        return "graft";
    }

    @Override
    public Launch launch(ObjectNode config, Path workDir) {
        Path file = workDir.resolve("graft.json");
        try {
            Files.createDirectories(workDir);
            Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        } catch (IOException e) {
            return new Launch.Failed("writing " + file + ": " + e);
        }
        return switch (ConfigLoader.load(file)) {
            case ConfigResult.Invalid invalid ->
                    new Launch.Failed("Graft refused the generated config " + file + ": " + invalid.errors());
            case ConfigResult.Valid valid -> start(valid.config());
        };
    }

    private static Launch start(GraftConfig graftConfig) {
        GraftServer server;
        try {
            server = GraftServer.start(graftConfig, GraftServer.Options.defaults()
                    .withAdmin(new GraftConfig.Listener("127.0.0.1", 0)));
        } catch (GraftServer.StartFailed e) {
            return new Launch.Failed("GraftServer did not start: " + e.getMessage());
        }
        InetSocketAddress address = server.proxyAddress();
        try (Socket probe = new Socket()) {
            probe.connect(address, 1000);
        } catch (IOException e) {
            server.close();
            return new Launch.Unavailable("GraftServer started but nothing accepts on its proxy listener " + address
                    + " (" + e.getMessage() + "): the proxy is not wired into GraftServer yet");
        }
        return new Launch.Started(new Running(server));
    }

    /** Graft in this process; its log goes to the test output, not to a file. */
    private record Running(GraftServer server) implements ProxyUnderTest {
        @Override
        public String name() {
            return "graft";
        }

        @Override
        public InetSocketAddress address() {
            return server.proxyAddress();
        }

        @Override
        public long logMark() {
            return 0;
        }

        @Override
        public String logSince(long mark) {
            return "";
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
