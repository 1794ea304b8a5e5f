package dev.graft.host.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.graft.host.GraftServer;
import dev.graft.host.parity.ModuleResult;
import dev.graft.host.parity.ParityRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ShadowModeTest} the other way round: the probe module in shadow with Java serving and
 * Lua as the shadow, on both of Java's paths: the Lua driver (guard stays Lua, so acme's
 * pipeline is mixed) and the native path (guard in Java too, so every stage of acme is Java
 * and no request enters the serving VM). Clients only ever see Java's answers; the planted
 * mismatch (the probe's sides mark themselves) shows in /metrics and in the store, marked as
 * served by Java; the exported case holds Lua's behaviour and fails when run against the
 * module in Java, and graft parity fails on it. And the serving side of a shadow switches live
 * through {@code PUT /rollout/probe}, taking acme onto and off the native path.
 */
class ShadowJavaServesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest(name = "guard {0}")
    @ValueSource(strings = {"lua", "java"})
    void plantedMismatchWithJavaServingIsCountedStoredAndExported(String guard, @TempDir Path dir) throws Exception {
        var config = RolloutFixture.config("""
                {"probe": {"mode": "shadow", "serve": "java", "sample": 1.0, "max_cpu_share": 1.0,
                           "redact": ["X-Api-Key"]},
                 "guard": {"mode": "%s"}}""".formatted(guard));
        JsonNode cases;
        try (GraftServer server = GraftServer.start(config, GraftServer.Options.ephemeral());
             KeepAliveClient client = new KeepAliveClient(server.proxyAddress())) {
            double luaEntriesBefore = counter(server.metrics().scrape(), "graft_lua_entries_total");
            for (int i = 0; i < 20; i++) {
                KeepAliveClient.Response r = client.get("/x?i=" + i, "a.test", "X-Content", "1",
                        "Authorization", "Bearer s3cret", "Cookie", "sid=abc", "X-Api-Key", "k-123");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("java content\n+java");
            }
            server.rollout().live().shadow().drain();
            String metrics = server.metrics().scrape();
            if (guard.equals("java")) {
                // the native path: the shadows ran in the shadow VM, the serving VM was never entered
                assertThat(metrics).contains("graft_native_requests_total");
                assertThat(counter(metrics, "graft_lua_entries_total")).isEqualTo(luaEntriesBefore);
            }
            assertThat(metrics).contains(
                    "graft_shadow_mismatches_total{module=\"probe\",path=\"response.header.x-java-header\"} 20.0");
            assertThat(metrics).contains("graft_shadow_comparisons_total{module=\"probe\",result=\"mismatch\"}");
            // Lua's shadow calls are timed as the module's Lua calls: the latency ratio has both sides
            assertThat(server.rollout().live().stats("probe").totals().luaCalls()).isPositive();
            assertThat(server.rollout().live().stats("probe").totals().javaCalls()).isPositive();

            JsonNode store = JSON.readTree(RolloutFixture.admin(server.adminAddress(), "GET", "/shadow/mismatches",
                    null, null).body()).get("mismatches");
            JsonNode header = ShadowModeTest.find(store, "header_filter");
            assertThat(header.get("served").asText()).isEqualTo("java");
            assertThat(ShadowModeTest.diff(header, "response.header.x-lua-header")).isEqualTo(List.of("1", "<absent>"));
            assertThat(ShadowModeTest.diff(header, "response.header.x-java-header")).isEqualTo(List.of("<absent>", "1"));
            // what Lua would have set in access (the shadow ran on a copy: the client never saw it)
            JsonNode access = ShadowModeTest.find(store, "access");
            assertThat(ShadowModeTest.diff(access, "var.lua_access")).isEqualTo(List.of("1", "<absent>"));
            String request = header.get("request").toString();
            assertThat(request).doesNotContain("s3cret", "sid=abc", "k-123");
            assertThat(request).contains("[\"X-Api-Key\",\"<redacted>\"]");

            cases = JSON.readTree(RolloutFixture.admin(server.adminAddress(), "GET",
                    "/shadow/mismatches/export?module=probe", null, null).body()).get("cases");
            Files.writeString(dir.resolve("graft.json"), server.config().raw().toString());
        }
        JsonNode headerCase = ShadowModeTest.exportedCase(cases, "x-lua-header");
        assertThat(ShadowModeTest.failures(headerCase, "{}")).isEmpty();
        assertThat(ShadowModeTest.failures(headerCase, "{\"probe\": {\"mode\": \"java\"}}"))
                .contains("header x-lua-header: expected 1, got <absent>");

        Path casesDir = Files.createDirectories(dir.resolve("cases/probe/cases"));
        Files.writeString(casesDir.resolve("900-shadow.json"), headerCase.toPrettyString());
        ParityRun.Outcome withCase = ShadowModeTest.parity(dir);
        assertThat(withCase).isInstanceOf(ParityRun.Outcome.Done.class);
        ModuleResult probe = ((ParityRun.Outcome.Done) withCase).modules().get(0);
        assertThat(probe.cases()).isEqualTo(1);
        assertThat(probe.mismatches()).isPositive();
        assertThat(withCase.passed()).isFalse();
    }

    @org.junit.jupiter.api.Test
    void theServingSideSwitchesLiveThroughTheAdminApi() throws Exception {
        var config = RolloutFixture.config("{\"probe\": {\"mode\": \"java\"}, \"guard\": {\"mode\": \"java\"}}");
        try (GraftServer server = GraftServer.start(config, GraftServer.Options.ephemeral());
             KeepAliveClient client = new KeepAliveClient(server.proxyAddress())) {
            var admin = server.adminAddress();
            var toJavaServes = RolloutFixture.admin(admin, "PUT", "/rollout/probe",
                    "{\"mode\": \"shadow\", \"serve\": \"java\", \"sample\": 1.0, \"max_cpu_share\": 1.0}",
                    RolloutFixture.TOKEN);
            assertThat(toJavaServes.statusCode()).as(toJavaServes.body()).isEqualTo(200);
            assertThat(JSON.readTree(toJavaServes.body()).get("applied").asText()).isEqualTo("live");
            double nativeBefore = counter(server.metrics().scrape(), "graft_native_requests_total");
            assertThat(client.get("/x", "a.test", "X-Content", "1").body()).isEqualTo("java content\n+java");
            assertThat(counter(server.metrics().scrape(), "graft_native_requests_total"))
                    .as("every module of acme serves Java: the native path").isEqualTo(nativeBefore + 1);
            server.rollout().live().shadow().drain();
            long runs = server.rollout().live().stats("probe").totals().shadowRuns();
            assertThat(runs).isPositive();

            var toLuaServes = RolloutFixture.admin(admin, "PUT", "/rollout/probe",
                    "{\"mode\": \"shadow\", \"serve\": \"lua\", \"sample\": 1.0, \"max_cpu_share\": 1.0}",
                    RolloutFixture.TOKEN);
            assertThat(JSON.readTree(toLuaServes.body()).get("applied").asText()).isEqualTo("live");
            assertThat(client.get("/x", "a.test", "X-Content", "1").body()).isEqualTo("lua content\n+lua");
            assertThat(counter(server.metrics().scrape(), "graft_native_requests_total"))
                    .as("Lua serves probe: the driver").isEqualTo(nativeBefore + 1);
            server.rollout().live().shadow().drain();
            assertThat(server.rollout().live().stats("probe").totals().shadowRuns()).isGreaterThan(runs);
            JsonNode state = JSON.readTree(RolloutFixture.admin(admin, "GET", "/rollout", null, null).body());
            assertThat(state.get("modules").get("probe").get("live").get("mode").get("serve").asText()).isEqualTo("lua");
        }
    }

    private static double counter(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
