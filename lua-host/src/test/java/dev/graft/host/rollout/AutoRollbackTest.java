package dev.graft.host.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.graft.host.GraftServer;
import dev.graft.host.config.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Automatic rollback on loopback under load: the security module guard (and probe) run from
 * Java on the native path; 6 keep-alive clients send requests, every other one with X-Block
 * (must be refused with 403; the others must get the probe's 200). Then the guard's Java side
 * starts failing (the clients add X-Guard-Java: throw, which makes GuardStage throw). The
 * monitor rolls guard back to Lua within its 2 s window; every response, before, during and
 * after, is counted and none is wrong (a throwing Java stage falls back to Lua for that
 * request, and after the rollback Lua serves guard directly).
 */
class AutoRollbackTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CLIENTS = 6;

    @Test
    void failingSecurityModuleIsRolledBackWithoutWrongAnswers() throws Exception {
        var config = RolloutFixture.config("""
                {"probe": {"mode": "java"},
                 "guard": {"mode": "java",
                           "rollback": {"window_s": 2, "min_calls": 20, "max_exception_rate": 0.05}}}""");
        try (GraftServer server = GraftServer.start(config, GraftServer.Options.ephemeral());
             ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            AtomicBoolean failing = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong served = new AtomicLong();
            AtomicLong wrong = new AtomicLong();
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    try (KeepAliveClient client = new KeepAliveClient(server.proxyAddress())) {
                        for (long i = 0; !stop.get(); i++) {
                            boolean block = i % 2 == 0;
                            List<String> h = new ArrayList<>(List.of("X-Content", "1"));
                            if (block) {
                                h.addAll(List.of("X-Block", "1"));
                            }
                            if (failing.get()) {
                                h.addAll(List.of("X-Guard-Java", "throw"));
                            }
                            KeepAliveClient.Response r = client.get("/x", "a.test", h.toArray(String[]::new));
                            served.incrementAndGet();
                            boolean right = block ? r.status() == 403
                                    : r.status() == 200 && r.body().equals("java content\n+java");
                            if (!right) {
                                wrong.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            while (served.get() < 300) {
                Thread.sleep(20);
            }
            assertThat(server.rollout().live().mode("guard", "acme")).isEqualTo(Rollout.Mode.JAVA);
            Instant failingFrom = Instant.now();
            failing.set(true);
            JsonNode state = waitForRollback(server, Duration.ofSeconds(30));
            long atRollback = served.get();
            while (served.get() < atRollback + 300) {
                Thread.sleep(20);
            }
            stop.set(true);
            for (Future<?> f : clients) {
                f.get();
            }

            assertThat(wrong.get()).as("wrong answers out of %d", served.get()).isZero();
            assertThat(server.rollout().live().mode("guard", "acme")).isEqualTo(Rollout.Mode.LUA);
            assertThat(server.rollout().live().mode("probe", "acme")).isEqualTo(Rollout.Mode.JAVA);
            JsonNode event = state.get("rollbacks").get(0);
            // the window the dashboard shows: the Java side's mean stage time is known
            assertThat(state.get("modules").get("guard").get("window").get("java_mean_us").asDouble()).isPositive();
            assertThat(event.get("module").asText()).isEqualTo("guard");
            assertThat(event.get("check").asText()).isEqualTo("exception_rate");
            // within the window (2 s) plus one evaluation tick (1 s) and scheduling slack
            assertThat(Duration.between(failingFrom, Instant.parse(event.get("time").asText())))
                    .isLessThan(Duration.ofSeconds(5));
            // after the rollback the Java guard is not called any more
            long exceptions = server.rollout().live().stats("guard").totals().exceptions();
            try (KeepAliveClient client = new KeepAliveClient(server.proxyAddress())) {
                for (int i = 0; i < 20; i++) {
                    assertThat(client.get("/x", "a.test", "X-Content", "1", "X-Block", "1", "X-Guard-Java", "throw")
                            .status()).isEqualTo(403);
                }
            }
            assertThat(server.rollout().live().stats("guard").totals().exceptions()).isEqualTo(exceptions);
            assertThat(server.metrics().scrape())
                    .contains("graft_rollout_rollbacks_total{check=\"exception_rate\",module=\"guard\"} 1.0");
            JsonNode audit = JSON.readTree(RolloutFixture.admin(server.adminAddress(), "GET", "/rollout/audit",
                    null, null).body());
            assertThat(audit.get("entries").get(0).get("who").asText()).isEqualTo("auto-rollback");
            assertThat(audit.get("entries").get(0).get("after").get("mode").asText()).isEqualTo("lua");
        }
    }

    private static JsonNode waitForRollback(GraftServer server, Duration atMost) throws Exception {
        Instant until = Instant.now().plus(atMost);
        while (Instant.now().isBefore(until)) {
            JsonNode state = JSON.readTree(RolloutFixture.admin(server.adminAddress(), "GET", "/rollout", null, null)
                    .body());
            if (!state.get("rollbacks").isEmpty()) {
                return state;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("guard was not rolled back within " + atMost);
    }
}
