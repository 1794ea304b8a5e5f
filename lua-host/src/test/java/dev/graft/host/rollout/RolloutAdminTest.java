package dev.graft.host.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.graft.host.GraftServer;
import dev.graft.host.config.Rollout;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mode changes through the admin API on loopback: token required, validated like config (422
 * with field paths, nothing changed), applied live or through a reload when the generation
 * has not bound the module's Java settings, visible in GET /rollout, and audited.
 */
class RolloutAdminTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static String body(GraftServer s) throws Exception {
        try (KeepAliveClient c = new KeepAliveClient(s.proxyAddress())) {
            return c.get("/x", "a.test", "X-Content", "1").body();
        }
    }

    @Test
    void putIsTokenProtectedValidatedAppliedAndAudited(@TempDir Path dir) throws Exception {
        Path auditFile = dir.resolve("audit.jsonl");
        System.setProperty("graft.rollout.audit", auditFile.toString());
        try (GraftServer server = GraftServer.start(RolloutFixture.config("{}"), GraftServer.Options.ephemeral())) {
            System.clearProperty("graft.rollout.audit");
            var admin = server.adminAddress();
            assertThat(body(server)).isEqualTo("lua content\n+lua");

            assertThat(RolloutFixture.admin(admin, "PUT", "/rollout/probe", "{\"mode\": \"java\"}", null).statusCode())
                    .isEqualTo(401);
            assertThat(RolloutFixture.admin(admin, "PUT", "/rollout/probe", "{\"mode\": \"java\"}", "wrong")
                    .statusCode()).isEqualTo(401);
            HttpResponse<String> bad = RolloutFixture.admin(admin, "PUT", "/rollout/probe",
                    "{\"mode\": \"canary\", \"percent\": 101}", RolloutFixture.TOKEN);
            assertThat(bad.statusCode()).isEqualTo(422);
            assertThat(JSON.readTree(bad.body()).get("errors").get(0).asText())
                    .isEqualTo("rollout.probe.percent: 101 (expected: an integer from 0 to 100)");
            assertThat(body(server)).isEqualTo("lua content\n+lua");

            // probe's Java settings are not bound in this generation: the change goes through a reload
            HttpResponse<String> toJava = RolloutFixture.admin(admin, "PUT", "/rollout/probe", "{\"mode\": \"java\"}",
                    RolloutFixture.TOKEN);
            assertThat(toJava.statusCode()).as(toJava.body()).isEqualTo(200);
            assertThat(JSON.readTree(toJava.body()).get("applied").asText()).isEqualTo("reload");
            assertThat(body(server)).isEqualTo("java content\n+java");

            // back to Lua and to Java again: the generation has the bindings, so it is a live swap
            HttpResponse<String> toLua = RolloutFixture.admin(admin, "PUT", "/rollout/probe", "{\"mode\": \"lua\"}",
                    RolloutFixture.TOKEN);
            assertThat(JSON.readTree(toLua.body()).get("applied").asText()).isEqualTo("live");
            assertThat(body(server)).isEqualTo("lua content\n+lua");
            assertThat(server.rollout().live().mode("probe", "acme")).isEqualTo(Rollout.Mode.LUA);
            HttpResponse<String> canary = RolloutFixture.admin(admin, "PUT", "/rollout/probe",
                    "{\"mode\": \"canary\", \"percent\": 100, \"key\": \"customer\"}", RolloutFixture.TOKEN);
            assertThat(JSON.readTree(canary.body()).get("applied").asText()).isEqualTo("live");
            assertThat(body(server)).isEqualTo("java content\n+java");

            JsonNode state = JSON.readTree(RolloutFixture.admin(admin, "GET", "/rollout", null, null).body());
            assertThat(state.get("modules").get("probe").get("live").get("mode").get("percent").asInt()).isEqualTo(100);
            assertThat(state.get("modules").get("probe").get("configured").get("mode").asText()).isEqualTo("java");

            JsonNode audit = JSON.readTree(RolloutFixture.admin(admin, "GET", "/rollout/audit", null, null).body())
                    .get("entries");
            assertThat(audit).hasSize(3);
            assertThat(audit.get(0).get("who").asText()).startsWith("token:").contains(" from /127.0.0.1:");
            assertThat(audit.get(0).get("before").get("mode").asText()).isEqualTo("lua");
            assertThat(audit.get(0).get("after").get("mode").asText()).isEqualTo("java");
            assertThat(audit.get(2).get("why").asText()).isEqualTo("PUT /rollout/probe (live)");
            assertThat(Files.readAllLines(auditFile)).hasSize(3);
            assertThat(JSON.readTree(Files.readAllLines(auditFile).get(1)).get("after").get("mode").asText())
                    .isEqualTo("lua");
        } finally {
            System.clearProperty("graft.rollout.audit");
        }
    }
}
