package dev.graft.host.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.graft.host.GraftServer;
import dev.graft.host.config.Rollout;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Scripted promotion on loopback: probe starts on Lua with steps canary 100% then java, one
 * second per step; with healthy traffic the monitor walks both steps (audited as promotions),
 * and the requests end up served by Java.
 */
class PromotionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void stepsAdvanceWhileTheChecksHold() throws Exception {
        var config = RolloutFixture.config("""
                {"probe": {"mode": "lua",
                           "rollback": {"window_s": 2, "min_calls": 5, "max_fallback_rate": 0.5},
                           "steps": [{"mode": "canary", "percent": 100, "key": "customer"}, "java"],
                           "step_s": 1}}""");
        try (GraftServer server = GraftServer.start(config, GraftServer.Options.ephemeral());
             KeepAliveClient client = new KeepAliveClient(server.proxyAddress())) {
            assertThat(client.get("/x", "a.test", "X-Content", "1").body()).isEqualTo("lua content\n+lua");
            Instant until = Instant.now().plusSeconds(30);
            while (!(server.rollout().live().mode("probe", "acme") instanceof Rollout.Mode.Java)
                    && Instant.now().isBefore(until)) {
                KeepAliveClient.Response r = client.get("/x", "a.test", "X-Content", "1");
                assertThat(r.status()).isEqualTo(200);
                Thread.sleep(20);
            }
            assertThat(server.rollout().live().mode("probe", "acme")).isEqualTo(Rollout.Mode.JAVA);
            assertThat(client.get("/x", "a.test", "X-Content", "1").body()).isEqualTo("java content\n+java");
            JsonNode audit = JSON.readTree(RolloutFixture.admin(server.adminAddress(), "GET", "/rollout/audit", null,
                    null).body()).get("entries");
            assertThat(audit).hasSize(2);
            assertThat(audit.get(0).get("who").asText()).isEqualTo("promotion");
            assertThat(audit.get(0).get("after").get("mode").get("percent").asInt()).isEqualTo(100);
            assertThat(audit.get(1).get("after").get("mode").asText()).isEqualTo("java");
            JsonNode state = JSON.readTree(RolloutFixture.admin(server.adminAddress(), "GET", "/rollout", null, null)
                    .body());
            assertThat(state.get("modules").get("probe").get("promotion").get("step").asInt()).isEqualTo(2);
            assertThat(state.get("rollbacks")).isEmpty();
        }
    }
}
