package dev.graft.host.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.GraftServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Canary on loopback: the probe module at 10% keyed on the X-User header serves about 10% of
 * 2000 users from Java (each user's side is the CRC32 rule's), and every user gets the same side
 * on two requests over different keep-alive connections, in every phase (content and
 * body_filter agree).
 */
class CanarySplitTest {

    private static final int USERS = 2000;
    private static final int CONNECTIONS = 4;

    @Test
    void tenPercentCanaryServesAboutTenPercentStickyPerUser() throws Exception {
        var config = RolloutFixture.config(
                "{\"probe\": {\"mode\": \"canary\", \"percent\": 10, \"key\": \"header:X-User\"}}");
        try (GraftServer server = GraftServer.start(config, GraftServer.Options.ephemeral());
             ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS)) {
            Map<String, String> first = run(server, pool, 0);
            Map<String, String> second = run(server, pool, 1); // users land on other connections
            assertThat(first).hasSize(USERS);
            assertThat(second).isEqualTo(first);
            long java = first.values().stream().filter("java"::equals).count();
            assertThat(first.values()).allMatch(s -> s.equals("java") || s.equals("lua"));
            assertThat(java).isBetween((long) (USERS * 0.07), (long) (USERS * 0.13));
            first.forEach((user, side) -> assertThat(side).as(user).isEqualTo(bucket(user) < 10 ? "java" : "lua"));
        }
    }

    /** Every user once, user i on connection (i + shift) % CONNECTIONS; the side each user got. */
    private static Map<String, String> run(GraftServer server, ExecutorService pool, int shift) throws Exception {
        List<Future<Map<String, String>>> parts = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            int conn = c;
            parts.add(pool.submit(() -> {
                Map<String, String> seen = new HashMap<>();
                try (KeepAliveClient client = new KeepAliveClient(server.proxyAddress())) {
                    for (int i = 0; i < USERS; i++) {
                        if ((i + shift) % CONNECTIONS != conn) {
                            continue;
                        }
                        String user = "user-" + i;
                        KeepAliveClient.Response r = client.get("/x", "a.test", "X-Content", "1", "X-User", user);
                        assertThat(r.status()).isEqualTo(200);
                        seen.put(user, switch (r.body()) {
                            case "java content\n+java" -> "java";
                            case "lua content\n+lua" -> "lua";
                            default -> "mixed: " + r.body();
                        });
                    }
                }
                return seen;
            }));
        }
        Map<String, String> all = new HashMap<>();
        for (Future<Map<String, String>> f : parts) {
            all.putAll(f.get());
        }
        return all;
    }

    private static long bucket(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 100;
    }
}
