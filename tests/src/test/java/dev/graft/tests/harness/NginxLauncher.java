package dev.graft.tests.harness;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.nginx.NginxConfigGenerator;
import dev.graft.host.nginx.NginxConfigGenerator.Layout;
import dev.graft.host.nginx.NginxConfigGenerator.Result;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs real nginx + lua-nginx-module (Debian's packages) on a Graft config through
 * {@link NginxConfigGenerator}: the reference the Graft host is checked against.
 */
public final class NginxLauncher implements ProxyLauncher {

    private static final JsonMapper JSON = new JsonMapper();

    @Override
    public String name() {
        return "nginx";
    }

    /** The nginx binary, if installed with the lua module. */
    public static Optional<Path> binary() {
        if (!Files.exists(NginxConfigGenerator.DEBIAN_MODULES.resolve("ngx_http_lua_module.so"))
                || !Files.exists(NginxConfigGenerator.DEBIAN_MODULES.resolve("ndk_http_module.so"))) {
            return Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin";
        return Stream.of(path.split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "nginx"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    @Override
    public Launch launch(ObjectNode config, Path workDir) {
        Optional<Path> nginx = binary();
        if (nginx.isEmpty()) {
            return new Launch.Unavailable("nginx with lua-nginx-module is not installed"
                    + " (apt-get install nginx libnginx-mod-http-lua; looked for nginx on PATH and "
                    + NginxConfigGenerator.DEBIAN_MODULES + "/ngx_http_lua_module.so)");
        }
        try {
            Path prefix = workDir.resolve("nginx");
            Files.createDirectories(prefix.resolve("logs"));
            Files.createDirectories(prefix.resolve("tmp"));
            Path configFile = workDir.resolve("graft.json");
            Files.write(configFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
            boolean root = "root".equals(System.getProperty("user.name"));
            Result result = NginxConfigGenerator.of(
                    new Layout(prefix, configFile, NginxConfigGenerator.DEBIAN_MODULES, root)).generate(config);
            return switch (result) {
                case Result.Refused refused -> new Launch.Failed("nginx config refused: " + refused.errors());
                case Result.Generated generated -> start(nginx.get(), prefix, generated.conf(), config);
            };
        } catch (IOException e) {
            return new Launch.Failed("starting nginx: " + e);
        }
    }

    private static Launch start(Path nginx, Path prefix, String conf, ObjectNode config) {
        try {
            Path confFile = Files.writeString(prefix.resolve("nginx.conf"), conf);
            Path errorLog = prefix.resolve("logs/error.log");
            Path output = prefix.resolve("logs/stdout.log");
            Process process = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c", confFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            // a test JVM that dies early must not leave nginx behind
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "stop-nginx-" + process.pid()));
            InetSocketAddress address = new InetSocketAddress(
                    config.path("listen").path("host").asText(), config.path("listen").path("port").asInt());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    return new Launch.Failed("nginx exited with " + process.exitValue() + ":\n"
                            + tail(output, 0) + tail(errorLog, 0));
                }
                try (Socket probe = new Socket()) {
                    probe.connect(address, 200);
                    return new Launch.Started(new Running(process, address, errorLog));
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            process.destroyForcibly();
            return new Launch.Failed("nginx did not accept on " + address + " within 20 s:\n" + tail(errorLog, 0));
        } catch (IOException e) {
            return new Launch.Failed("starting nginx: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Launch.Failed("interrupted while starting nginx");
        }
    }

    /** The last lines of a log from a byte offset, minus the per-connection noise of level info. */
    static String tail(Path log, long from) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            if (f.length() <= from) {
                return "";
            }
            f.seek(from);
            byte[] bytes = new byte[(int) Math.min(f.length() - from, 1 << 20)];
            f.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.contains("client closed") && !l.contains("keepalive"))
                    .toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))
                    + (lines.isEmpty() ? "" : "\n");
        } catch (IOException e) {
            return "";
        }
    }

    /** A running nginx master (in the foreground: the config says daemon off). */
    private record Running(Process process, InetSocketAddress address, Path errorLog) implements ProxyUnderTest {
        @Override
        public String name() {
            return "nginx";
        }

        @Override
        public long logMark() {
            try {
                return Files.size(errorLog);
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public String logSince(long mark) {
            return tail(errorLog, mark);
        }

        @Override
        public void close() {
            // SIGTERM: nginx's fast shutdown; the master stops its worker
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
