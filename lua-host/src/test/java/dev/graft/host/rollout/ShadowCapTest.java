package dev.graft.host.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.GraftServer;
import org.junit.jupiter.api.Test;

/**
 * The shadow's sample and CPU cap on loopback: sample 0 never shadows; a cap of 0 lets no new
 * shadow start once shadow time has been spent in the window (each skip counted), and clients
 * still get Lua's answers.
 */
class ShadowCapTest {

    @Test
    void sampleZeroNeverShadows() throws Exception {
        var config = RolloutFixture.config("{\"probe\": {\"mode\": \"shadow\", \"sample\": 0.0}}");
        try (GraftServer server = GraftServer.start(config, GraftServer.Options.ephemeral());
             KeepAliveClient client = new KeepAliveClient(server.proxyAddress())) {
            for (int i = 0; i < 10; i++) {
                assertThat(client.get("/x", "a.test", "X-Content", "1").body()).isEqualTo("lua content\n+lua");
            }
            server.rollout().live().shadow().drain();
            assertThat(server.rollout().live().stats("probe").totals().shadowRuns()).isZero();
            assertThat(server.metrics().scrape()).doesNotContain("graft_shadow_comparisons_total");
        }
    }

    @Test
    void exhaustedCpuShareSkipsShadows() throws Exception {
        var config = RolloutFixture.config("{\"probe\": {\"mode\": \"shadow\", \"sample\": 1.0, \"max_cpu_share\": 0.0}}");
        try (GraftServer server = GraftServer.start(config, GraftServer.Options.ephemeral());
             KeepAliveClient client = new KeepAliveClient(server.proxyAddress())) {
            client.get("/x", "a.test", "X-Content", "1");
            server.rollout().live().shadow().drain();
            long runs = server.rollout().live().stats("probe").totals().shadowRuns();
            assertThat(runs).isPositive();
            for (int i = 0; i < 10; i++) {
                assertThat(client.get("/x", "a.test", "X-Content", "1").body()).isEqualTo("lua content\n+lua");
            }
            server.rollout().live().shadow().drain();
            // five shadowed phases (all but body_filter) per request. Which of the first request's
            // phases ran depends on timing (the first run spends the share), and on a slow machine
            // the 10 s accounting window may roll over once, so one request's phases may run again.
            long after = server.rollout().live().stats("probe").totals().shadowRuns();
            assertThat(after - runs).isLessThanOrEqualTo(5);
            String line = server.metrics().scrape().lines()
                    .filter(l -> l.startsWith("graft_shadow_skipped_total{module=\"probe\",reason=\"cpu\"}"))
                    .findFirst().orElseThrow();
            double skipped = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            // every later phase that did not run was skipped for the cap and counted once; the last
            // request's log phase runs after its response reached the client, so it may not have
            // been admitted (or skipped) yet when the metrics are read
            assertThat(skipped).isGreaterThanOrEqualTo(10 * 5 - 1 - (after - runs)).isLessThanOrEqualTo(11 * 5 - after);
        }
    }
}
