package dev.graft.tests.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A config folder for the rollout tests: the legacy driver and {@code headers} module (which has
 * a Java port, so the rollout can switch it), plus a {@code stamp} module whose header_filter
 * sets {@code X-Stamp: s<script version>-c<config value>}: every response says which scripts
 * and which config served it. Files are replaced atomically (write, then rename), as a deploy
 * tool does, so a reload never reads half a file.
 */
final class RolloutSite {

    static final String TOKEN = "rollout-token";

    final Path dir;
    final Path configFile;
    private final int originPort;
    private int listenPort;
    private String adminListen = "{\"host\": \"127.0.0.1\", \"port\": 0}";

    RolloutSite(Path dir, int originPort) throws IOException {
        this.dir = dir;
        this.configFile = dir.resolve("graft.json");
        this.originPort = originPort;
        Path legacy = Path.of("../legacy-scripts").toAbsolutePath().normalize();
        Files.copy(legacy.resolve("pipeline.lua"), dir.resolve("pipeline.lua"));
        Files.createDirectories(dir.resolve("headers"));
        Files.copy(legacy.resolve("headers/handler.lua"), dir.resolve("headers/handler.lua"));
        Files.createDirectories(dir.resolve("stamp"));
    }

    RolloutSite listenPort(int port) {
        this.listenPort = port;
        return this;
    }

    /** The stamp module, version {@code v}: a scripts change. */
    void writeScript(int v) throws IOException {
        write(dir.resolve("stamp/handler.lua"), """
                -- stamp/handler.lua, version %d: says which scripts and config served a response
                local _M = {}
                function _M.header_filter(conf)
                    ngx.header["X-Stamp"] = "s%d-c" .. tostring(conf.value)
                end
                return _M
                """.formatted(v, v));
    }

    /** The stamp module's whole source replaced: for error and log tests. */
    void writeScriptSource(String source) throws IOException {
        write(dir.resolve("stamp/handler.lua"), source);
    }

    /** A stamp module that does not compile: a reload must refuse it and change nothing. */
    void writeBrokenScript() throws IOException {
        write(dir.resolve("stamp/handler.lua"), "local _M = {} function _M.header_filter(conf) ngx.header[ end return _M\n");
    }

    /** The config with stamp value {@code value} and the headers module served by Java or Lua: a config change. */
    void writeConfig(int value, boolean headersInJava) throws IOException {
        writeConfig(value, headersInJava, "");
    }

    /** As {@link #writeConfig(int, boolean)}, with {@code extra} top-level members (",\"logging\": {...}"). */
    void writeConfig(int value, boolean headersInJava, String extra) throws IOException {
        writeConfig(value, "{\"mode\": \"" + (headersInJava ? "java" : "lua") + "\"}", extra);
    }

    /** The config with stamp value {@code value} and {@code headersRollout} as the headers module's rollout. */
    void writeConfig(int value, String headersRollout, String extra) throws IOException {
        write(configFile, """
                {"listen": {"host": "127.0.0.1", "port": %d},
                 "admin": {"listen": %s, "token": "%s"},
                 "scripts": ".",
                 "default_upstream": "origin",
                 "pipeline": ["headers", "stamp"],
                 "upstreams": {"origin": {"servers": [{"address": "127.0.0.1:%d"}], "idle_timeout_ms": 60000}},
                 "customers": {"app": {"hosts": ["app.test"],
                                       "modules": {"headers": {"nosniff": true}, "stamp": {"value": %d}}}},
                 "rollout": {"headers": %s}%s}
                """.formatted(listenPort, adminListen, TOKEN, originPort, value, headersRollout, extra));
    }

    GraftConfig config() {
        ConfigResult r = ConfigLoader.load(configFile);
        assertThat(r).as(r.toString()).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid) r).config();
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static HttpResponse<String> admin(int port, String method, String path, boolean withToken)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (withToken) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Waits (bounded) for a condition of the running system; false when it did not come. */
    static boolean await(BooleanSupplier condition, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }
}
