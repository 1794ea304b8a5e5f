package dev.graft.host.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.config.Rollout;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The monitor's checks, evaluated directly with a clock the test moves and counts the test
 * feeds: each threshold rolls back on its own, nothing rolls back below min_calls or under the
 * thresholds, and old calls leave the window.
 */
class RollbackMonitorTest {

    private static final Rollout.CanaryKey CLIENT = new Rollout.CanaryKey.Client();

    /** A clock the test sets. */
    private static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private record Setup(LiveRollout live, RollbackMonitor monitor, MovingClock clock, RolloutAudit audit) {}

    private static Setup setup(Rollout.Mode mode, Rollout.RollbackPolicy policy) {
        MovingClock clock = new MovingClock();
        LiveRollout live = new LiveRollout(new Rollout(Map.of("waf",
                new Rollout.ModuleRollout(mode, Map.of(), Optional.of(policy), List.of(), 60))));
        RolloutAudit audit = new RolloutAudit(Optional.empty(), clock);
        return new Setup(live, new RollbackMonitor(live, audit, clock, new SimpleMeterRegistry()), clock, audit);
    }

    private static Rollout.RollbackPolicy policy(double fallback, double exception, double latency, double mismatch) {
        return new Rollout.RollbackPolicy(10, 20, opt(fallback), opt(exception), opt(latency), opt(mismatch));
    }

    private static OptionalDouble opt(double v) {
        return v < 0 ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    private static void tick(Setup s) {
        s.clock().now = s.clock().now.plusSeconds(1);
        s.monitor().evaluate();
    }

    @Test
    void fallbackRateAboveTheThresholdRollsBack() {
        Setup s = setup(Rollout.Mode.JAVA, policy(0.05, -1, -1, -1));
        s.monitor().evaluate();
        ModuleStats st = s.live().stats("waf");
        for (int i = 0; i < 100; i++) {
            st.javaCall(1000, i < 5, false); // 5%: not above
        }
        tick(s);
        assertThat(s.live().mode("waf", "acme")).isEqualTo(Rollout.Mode.JAVA);
        for (int i = 0; i < 100; i++) {
            st.javaCall(1000, i < 10, false); // 15 of 200 in the window
        }
        tick(s);
        assertThat(s.live().mode("waf", "acme")).isEqualTo(Rollout.Mode.LUA);
        assertThat(s.monitor().events()).singleElement().satisfies(e -> {
            assertThat(e.check()).isEqualTo("fallback_rate");
            assertThat(e.value()).isEqualTo(0.075);
        });
        assertThat(s.audit().entries().get(0).get("who").asText()).isEqualTo("auto-rollback");
    }

    @Test
    void tooFewCallsDecideNothing() {
        Setup s = setup(Rollout.Mode.JAVA, policy(-1, 0.01, -1, -1));
        s.monitor().evaluate();
        for (int i = 0; i < 19; i++) {
            s.live().stats("waf").javaCall(1000, true, true);
        }
        tick(s);
        assertThat(s.live().mode("waf", "acme")).isEqualTo(Rollout.Mode.JAVA);
        s.live().stats("waf").javaCall(1000, true, true);
        tick(s);
        assertThat(s.live().mode("waf", "acme")).isEqualTo(Rollout.Mode.LUA);
        assertThat(s.monitor().events().get(0).check()).isEqualTo("exception_rate");
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        Setup s = setup(Rollout.Mode.JAVA, policy(0.1, -1, -1, -1));
        s.monitor().evaluate();
        ModuleStats st = s.live().stats("waf");
        for (int i = 0; i < 10; i++) {
            st.javaCall(1000, true, false); // below min_calls on their own
        }
        tick(s);
        for (int i = 0; i < 11; i++) {
            tick(s); // the window (10 s) moves past them
        }
        for (int i = 0; i < 100; i++) {
            st.javaCall(1000, false, false);
        }
        tick(s);
        assertThat(s.live().mode("waf", "acme")).isEqualTo(Rollout.Mode.JAVA);
        assertThat(s.monitor().windows().get("waf").totals().fallbacks()).isZero();
    }

    @Test
    void latencyRatioNeedsBothSidesAndRollsBackACanary() {
        Rollout.Mode canary = new Rollout.Mode.Canary(50, CLIENT);
        Setup s = setup(canary, policy(-1, -1, 2.0, -1));
        s.monitor().evaluate();
        ModuleStats st = s.live().stats("waf");
        for (int i = 0; i < 30; i++) {
            st.javaCall(5000, false, false);
        }
        tick(s);
        assertThat(s.live().mode("waf", "acme")).as("no Lua calls: no ratio").isEqualTo(canary);
        for (int i = 0; i < 30; i++) {
            st.luaCall(1000);
        }
        tick(s);
        assertThat(s.live().mode("waf", "acme")).isEqualTo(Rollout.Mode.LUA);
        assertThat(s.monitor().events().get(0).check()).isEqualTo("latency_ratio");
        assertThat(s.monitor().events().get(0).value()).isEqualTo(5.0);
    }

    @Test
    void shadowMismatchRateStopsTheShadow() {
        Rollout.Mode shadow = new Rollout.Mode.Shadow(1.0, 0.1, List.of());
        Setup s = setup(shadow, policy(-1, -1, -1, 0.01));
        s.monitor().evaluate();
        for (int i = 0; i < 50; i++) {
            s.live().stats("waf").shadowRun(i == 0);
        }
        tick(s);
        assertThat(s.live().mode("waf", "acme")).isEqualTo(Rollout.Mode.LUA);
        assertThat(s.monitor().events().get(0).check()).isEqualTo("mismatch_rate");
    }

    @Test
    void aRollbackStopsPromotion() {
        MovingClock clock = new MovingClock();
        LiveRollout live = new LiveRollout(new Rollout(Map.of("waf", new Rollout.ModuleRollout(
                new Rollout.Mode.Canary(10, CLIENT), Map.of(), Optional.of(policy(0.1, -1, -1, -1)),
                List.of(new Rollout.Mode.Canary(50, CLIENT), Rollout.Mode.JAVA), 1))));
        RollbackMonitor monitor = new RollbackMonitor(live, new RolloutAudit(Optional.empty(), clock), clock,
                new SimpleMeterRegistry());
        monitor.evaluate();
        for (int i = 0; i < 30; i++) {
            live.stats("waf").javaCall(1000, false, false);
        }
        clock.now = clock.now.plusSeconds(2);
        monitor.evaluate();
        assertThat(live.mode("waf", "acme")).isEqualTo(new Rollout.Mode.Canary(50, CLIENT));
        for (int i = 0; i < 30; i++) {
            live.stats("waf").javaCall(1000, true, false);
        }
        clock.now = clock.now.plusSeconds(2);
        monitor.evaluate();
        assertThat(live.mode("waf", "acme")).isEqualTo(Rollout.Mode.LUA);
        for (int i = 0; i < 5; i++) {
            clock.now = clock.now.plusSeconds(20);
            monitor.evaluate();
        }
        assertThat(live.mode("waf", "acme")).as("no promotion after a rollback").isEqualTo(Rollout.Mode.LUA);
    }
}
