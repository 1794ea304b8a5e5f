package dev.graft.tests.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.host.GraftServer;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.demo.DemoOrigin;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, observability: with {@code logging.access_log} and {@code logging.error_log} set,
 * every request is one JSON line in the access log (request id, customer, status, bytes,
 * duration, upstream), and a Lua error is a JSON line in the error log with the same request
 * id; a reload without the section turns both off again. /metrics has the JVM basics.
 */
class AccessLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void requests_and_errors_are_json_lines_with_the_request_id() throws Exception {
        Path access = dir.resolve("logs/access.jsonl");
        Path errors = dir.resolve("logs/error.jsonl");
        Files.createDirectories(access.getParent());
        String logging = ", \"logging\": {\"access_log\": \"%s\", \"error_log\": \"%s\"}".formatted(access, errors);
        try (DemoOrigin origin = DemoOrigin.startEcho("origin", "127.0.0.1", 0)) {
            RolloutSite site = new RolloutSite(dir, origin.port());
            site.writeScriptSource("""
                    local _M = {}
                    function _M.access(conf)
                        if ngx.var.uri == "/boom" then error("planted failure") end
                    end
                    return _M
                    """);
            site.writeConfig(1, true, logging);
            GraftServer.Options options = GraftServer.Options.ephemeral()
                    .withConfigSource(() -> ConfigLoader.load(site.configFile));
            try (GraftServer graft = GraftServer.start(site.config(), options)) {
                for (int i = 0; i < 10; i++) {
                    assertThat(get(graft.proxyPort(), "/page/" + i)).startsWith("HTTP/1.1 200");
                }
                String boom = get(graft.proxyPort(), "/boom");
                assertThat(boom).startsWith("HTTP/1.1 500");

                assertThat(RolloutSite.await(() -> lines(access).size() >= 11, Duration.ofSeconds(10))).isTrue();
                List<JsonNode> lines = lines(access);
                JsonNode first = lines.getFirst();
                assertThat(first.path("request_id").asText()).matches("[0-9a-f]{32}");
                assertThat(first.path("customer").asText()).isEqualTo("app");
                assertThat(first.path("method").asText()).isEqualTo("GET");
                assertThat(first.path("uri").asText()).isEqualTo("/page/0");
                assertThat(first.path("status").asInt()).isEqualTo(200);
                assertThat(first.path("bytes").asLong()).isPositive();
                assertThat(first.path("duration_ms").isNumber()).isTrue();
                assertThat(first.path("upstream").asText()).isEqualTo("origin");
                assertThat(first.path("remote").asText()).isEqualTo("127.0.0.1");
                assertThat(first.path("time").asText()).endsWith("Z");
                JsonNode failed = lines.stream().filter(l -> l.path("uri").asText().equals("/boom")).findFirst().orElseThrow();
                assertThat(failed.path("status").asInt()).isEqualTo(500);

                String id = failed.path("request_id").asText();
                assertThat(RolloutSite.await(() -> lines(errors).stream()
                        .anyMatch(l -> l.path("request_id").asText().equals(id)), Duration.ofSeconds(10))).isTrue();
                JsonNode error = lines(errors).stream().filter(l -> l.path("request_id").asText().equals(id))
                        .findFirst().orElseThrow();
                assertThat(error.path("level").asText()).isEqualTo("ERROR");
                assertThat(error.path("message").asText()).contains("planted failure").doesNotStartWith("[");

                // a reload without the section: logging off again
                site.writeConfig(1, true);
                HttpResponse<String> r = RolloutSite.admin(graft.adminPort(), "POST", "/reload", true);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                int before = lines(access).size();
                assertThat(get(graft.proxyPort(), "/after")).startsWith("HTTP/1.1 200");
                Thread.sleep(200); // an async line would be written by now; absence cannot be awaited
                assertThat(lines(access)).hasSize(before);

                String metrics = RolloutSite.admin(graft.adminPort(), "GET", "/metrics", false).body();
                assertThat(metrics).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_",
                        "process_cpu_usage", "process_uptime_seconds", "graft_requests_total");
            }
        }
    }

    /** Invalid logging settings are refused at load, with the field named. */
    @Test
    void bad_logging_settings_are_config_errors() throws Exception {
        RolloutSite site = new RolloutSite(dir, 1);
        site.writeScript(1);
        site.writeConfig(1, true, ", \"logging\": {\"access_log\": 5, \"errors\": \"x\"}");
        String result = ConfigLoader.load(site.configFile).toString();
        assertThat(result).contains("Invalid").contains("logging.access_log").contains("logging.errors");
    }

    private static List<JsonNode> lines(Path file) {
        List<JsonNode> out = new ArrayList<>();
        try {
            if (!Files.exists(file)) {
                return out;
            }
            for (String l : Files.readAllLines(file)) {
                if (!l.isBlank()) {
                    out.add(JSON.readTree(l));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private static String get(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
