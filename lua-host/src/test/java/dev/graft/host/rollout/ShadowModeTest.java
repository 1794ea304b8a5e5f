package dev.graft.host.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.graft.host.GraftServer;
import dev.graft.host.bridge.StageModules;
import dev.graft.host.parity.ModuleResult;
import dev.graft.host.parity.ParityOptions;
import dev.graft.host.parity.ParityRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Shadow mode on loopback: the probe module serves from Lua with Java as its shadow on every
 * request. The probe's two sides differ on purpose (each marks its side: X-Lua-Header vs
 * X-Java-Header, lua_* vs java_* variables, its content): the planted mismatch. Clients only
 * ever see Lua's answers; the mismatch shows in /metrics and in the store (secrets redacted);
 * the exported case holds Lua's behaviour and fails when run against the module in Java.
 */
class ShadowModeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void plantedMismatchIsCountedStoredRedactedAndExported(@TempDir Path dir) throws Exception {
        var config = RolloutFixture.config("""
                {"probe": {"mode": "shadow", "serve": "lua", "sample": 1.0, "max_cpu_share": 1.0,
                           "redact": ["X-Api-Key"]}}""");
        JsonNode cases;
        try (GraftServer server = GraftServer.start(config, GraftServer.Options.ephemeral());
             KeepAliveClient client = new KeepAliveClient(server.proxyAddress())) {
            for (int i = 0; i < 20; i++) {
                KeepAliveClient.Response r = client.get("/x?i=" + i, "a.test", "X-Content", "1",
                        "Authorization", "Bearer s3cret", "Cookie", "sid=abc", "X-Api-Key", "k-123");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("lua content\n+lua");
            }
            server.rollout().live().shadow().drain();

            String metrics = server.metrics().scrape();
            assertThat(metrics).contains(
                    "graft_shadow_mismatches_total{module=\"probe\",path=\"response.header.x-java-header\"} 20.0");
            assertThat(metrics).contains("graft_shadow_comparisons_total{module=\"probe\",result=\"mismatch\"}");

            JsonNode store = JSON.readTree(RolloutFixture.admin(server.adminAddress(), "GET", "/shadow/mismatches",
                    null, null).body()).get("mismatches");
            JsonNode header = find(store, "header_filter");
            assertThat(diff(header, "response.header.x-lua-header")).isEqualTo(List.of("1", "<absent>"));
            assertThat(diff(header, "response.header.x-java-header")).isEqualTo(List.of("<absent>", "1"));
            String request = header.get("request").toString();
            assertThat(request).doesNotContain("s3cret", "sid=abc", "k-123");
            assertThat(request).contains("[\"Authorization\",\"<redacted>\"]", "[\"Cookie\",\"<redacted>\"]",
                    "[\"X-Api-Key\",\"<redacted>\"]");
            // a shadow's writes are never applied: the content phase's Java exit did not reach the client
            assertThat(diff(find(store, "content"), "exit")).isEqualTo(List.of("<absent>", "200"));

            cases = JSON.readTree(RolloutFixture.admin(server.adminAddress(), "GET",
                    "/shadow/mismatches/export?module=probe", null, null).body()).get("cases");
            Files.writeString(dir.resolve("graft.json"), server.config().raw().toString());
        }
        JsonNode headerCase = exportedCase(cases, "x-lua-header");
        assertThat(headerCase.get("modules").toString()).isEqualTo("{\"probe\":{\"label\":\"x\",\"max_items\":3},\"guard\":{}}");
        // the case passes with the module in Lua (it is Lua's behaviour) and fails with it in Java
        assertThat(failures(headerCase, "{}")).isEmpty();
        assertThat(failures(headerCase, "{\"probe\": {\"mode\": \"java\"}}"))
                .contains("header x-lua-header: expected 1, got <absent>");

        // and the parity check (graft parity) picks the exported case up from <module>/cases/ and fails on it
        Path casesDir = Files.createDirectories(dir.resolve("cases/probe/cases"));
        ParityRun.Outcome none = parity(dir);
        assertThat(none.passed()).as("no cases, nothing generated: nothing to differ").isTrue();
        Files.writeString(casesDir.resolve("900-shadow.json"), headerCase.toPrettyString());
        ParityRun.Outcome withCase = parity(dir);
        assertThat(withCase).isInstanceOf(ParityRun.Outcome.Done.class);
        ModuleResult probe = ((ParityRun.Outcome.Done) withCase).modules().get(0);
        assertThat(probe.cases()).isEqualTo(1);
        assertThat(probe.mismatches()).isPositive();
        assertThat(withCase.passed()).isFalse();
    }

    static ParityRun.Outcome parity(Path dir) {
        return ParityRun.run(new ParityOptions(dir.resolve("graft.json"), List.of("probe"),
                Optional.of(dir.resolve("cases")), 0, 1, Optional.empty(), dir.resolve("report"),
                StageModules.discover(), LocalDate.now(), true, 1), line -> { });
    }

    /** The exported case whose first step expects response header {@code header}; fails the test if none. */
    static JsonNode exportedCase(JsonNode cases, String header) {
        JsonNode found = null;
        for (JsonNode c : cases) {
            if (c.path("steps").path(0).path("expect").path("headers").has(header)) {
                found = c;
            }
        }
        assertThat(found).as("an exported case about response header " + header).isNotNull();
        return found;
    }

    static JsonNode find(JsonNode store, String phase) {
        for (JsonNode m : store) {
            if (m.get("phase").asText().equals(phase)) {
                return m;
            }
        }
        throw new AssertionError("no " + phase + " mismatch in " + store);
    }

    static List<String> diff(JsonNode mismatch, String path) {
        for (JsonNode d : mismatch.get("diffs")) {
            if (d.get("path").asText().equals(path)) {
                return List.of(d.get("lua").asText(), d.get("java").asText());
            }
        }
        return List.of();
    }

    /**
     * Runs the case's one step as LegacyCasesTest would (its modules are the fixture customer
     * acme's, so acme's host stands in for the case's own) and lists the failed expectations.
     */
    static List<String> failures(JsonNode kase, String rollout) throws Exception {
        JsonNode step = kase.get("steps").get(0);
        List<String> headers = new ArrayList<>();
        for (JsonNode h : step.get("request").get("headers")) {
            headers.add(h.get(0).asText());
            headers.add(h.get(1).asText());
        }
        List<String> out = new ArrayList<>();
        try (GraftServer server = GraftServer.start(RolloutFixture.config(rollout), GraftServer.Options.ephemeral());
             RawClient client = new RawClient(server)) {
            RawClient.Head head = client.head(step.get("request").get("path").asText(), headers);
            JsonNode expect = step.get("expect");
            if (expect.has("status") && expect.get("status").asInt() != head.status()) {
                out.add("status: expected " + expect.get("status").asInt() + ", got " + head.status());
            }
            Iterator<Map.Entry<String, JsonNode>> it = expect.path("headers").properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String got = head.headers().getOrDefault(e.getKey().toLowerCase(), "<absent>");
                String want = e.getValue().isNull() ? "<absent>" : e.getValue().asText();
                if (!want.equals(got)) {
                    out.add("header " + e.getKey() + ": expected " + want + ", got " + got);
                }
            }
        }
        return out;
    }

    /** Reads a response's status and headers over a fresh connection (the case harness's view). */
    private static final class RawClient implements AutoCloseable {
        record Head(int status, Map<String, String> headers) {}

        private final java.net.Socket socket;

        RawClient(GraftServer server) throws Exception {
            socket = new java.net.Socket(server.proxyAddress().getAddress(), server.proxyAddress().getPort());
            socket.setSoTimeout(10_000);
        }

        Head head(String path, List<String> headers) throws Exception {
            StringBuilder b = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n");
            for (int i = 0; i < headers.size(); i += 2) {
                b.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
            }
            socket.getOutputStream().write(b.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            String[] lines = response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n");
            Map<String, String> hs = new java.util.HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                hs.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
            }
            return new Head(Integer.parseInt(lines[0].substring(9, 12)), hs);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
