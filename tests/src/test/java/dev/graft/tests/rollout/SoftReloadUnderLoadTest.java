package dev.graft.tests.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.GraftServer;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.demo.DemoOrigin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, soft reload: 16 keep-alive clients keep Graft busy while the admin API reloads it 100
 * times, alternating a scripts change (the stamp module's source) and a config change (the
 * stamp's setting and the headers module switched between Java and Lua). Every request is
 * counted; none may fail, every reload must apply and be seen by the traffic, and a reload of
 * a script that does not compile must change nothing.
 */
class SoftReloadUnderLoadTest {

    @TempDir
    Path dir;

    @Test
    void a_hundred_soft_reloads_under_keep_alive_load_lose_no_request() throws Exception {
        try (DemoOrigin origin = DemoOrigin.startEcho("origin", "127.0.0.1", 0)) {
            RolloutSite site = new RolloutSite(dir, origin.port());
            int script = 0;
            int value = 0;
            site.writeScript(script);
            site.writeConfig(value, true);
            GraftServer.Options options = GraftServer.Options.ephemeral()
                    .withConfigSource(() -> ConfigLoader.load(site.configFile));
            try (GraftServer graft = GraftServer.start(site.config(), options)) {
                KeepAliveLoad load = new KeepAliveLoad(graft.proxyAddress(), "app.test", 16, 1_000_000);
                try {
                    assertThat(RolloutSite.await(() -> load.ok.get() >= 200, Duration.ofSeconds(20))).isTrue();
                    for (int i = 1; i <= 100; i++) {
                        if (i % 2 == 1) {
                            site.writeScript(++script);
                        } else {
                            site.writeConfig(++value, i % 4 != 0);
                        }
                        HttpResponse<String> r = RolloutSite.admin(graft.adminPort(), "POST", "/reload", true);
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        assertThat(r.body()).contains("\"reloaded\":true,\"generation\":" + i);
                        String stamp = "s" + script + "-c" + value;
                        long before = load.stamp(stamp);
                        assertThat(RolloutSite.await(() -> load.stamp(stamp) > before, Duration.ofSeconds(10)))
                                .as("traffic served by %s after reload %d", stamp, i).isTrue();
                        if (i == 50) {
                            refusedReloadChangesNothing(graft, site, load, stamp);
                            site.writeScript(script);
                        }
                    }
                } finally {
                    load.close();
                }
                Map<Integer, Long> statuses = load.byStatus.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
                assertThat(load.failures).as("failed or reset requests").isEmpty();
                assertThat(statuses).as("every response").containsOnlyKeys(200);
                assertThat(load.ok.get()).isEqualTo(load.total()).isGreaterThan(1000);
                assertThat(load.connections.get()).as("connections stay alive across reloads").isEqualTo(16);
                assertThat(graft.config().rollout().mode("headers", "app").configName()).isEqualTo("lua");
                System.out.printf("soft reload: %d requests over 100 reloads, %d connections, stamps %s%n",
                        load.ok.get(), load.connections.get(), load.byStamp.size());
            }
        }
    }

    private static void refusedReloadChangesNothing(GraftServer graft, RolloutSite site, KeepAliveLoad load,
                                                    String stamp) throws Exception {
        site.writeBrokenScript();
        int generation = graft.config().hashCode();
        int stamps = load.byStamp.size();
        HttpResponse<String> r = RolloutSite.admin(graft.adminPort(), "POST", "/reload", true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(r.body()).contains("\"reloaded\":false").contains("stamp/handler.lua");
        long before = load.stamp(stamp);
        // the running pipelines keep serving: the same stamp, no new one
        assertThat(RolloutSite.await(() -> load.stamp(stamp) > before + 100, Duration.ofSeconds(10))).isTrue();
        assertThat(load.byStamp.size()).isEqualTo(stamps);
        assertThat(graft.config().hashCode()).isEqualTo(generation);
    }
}
