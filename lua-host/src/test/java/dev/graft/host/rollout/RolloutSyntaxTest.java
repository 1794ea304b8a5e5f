package dev.graft.host.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.graft.host.config.ConfigError;
import dev.graft.host.config.Rollout;
import dev.graft.host.config.RolloutSyntax;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rollout syntax of issue 7: canary, rollback and steps; errors with field paths. */
class RolloutSyntaxTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> CUSTOMERS = Set.of("acme", "beta");

    private static RolloutSyntax.Parsed<Rollout.ModuleRollout> parse(String json) throws Exception {
        return RolloutSyntax.module("waf", JSON.readTree(json), CUSTOMERS);
    }

    private static Rollout.ModuleRollout ok(String json) throws Exception {
        return ((RolloutSyntax.Parsed.Ok<Rollout.ModuleRollout>) parse(json)).value();
    }

    private static List<String> errors(String json) throws Exception {
        return ((RolloutSyntax.Parsed.Invalid<Rollout.ModuleRollout>) parse(json)).errors().stream()
                .map(ConfigError::message).toList();
    }

    @Test
    void canaryAtModuleLevelAndAsOverride() throws Exception {
        Rollout.ModuleRollout m = ok("""
                {"mode": "canary", "percent": 10, "key": "cookie:sid",
                 "customers": {"acme": {"mode": "canary", "percent": 50, "key": "header:X-User"}, "beta": "lua"}}""");
        assertThat(m.mode()).isEqualTo(new Rollout.Mode.Canary(10, new Rollout.CanaryKey.Cookie("sid")));
        assertThat(m.mode("acme")).isEqualTo(new Rollout.Mode.Canary(50, new Rollout.CanaryKey.Header("X-User")));
        assertThat(m.mode("beta")).isEqualTo(Rollout.Mode.LUA);
        assertThat(m.bindsJava("acme")).isTrue();
        assertThat(m.bindsJava("beta")).isFalse();
        assertThat(ok("{\"mode\": \"canary\", \"percent\": 5}").mode())
                .isEqualTo(new Rollout.Mode.Canary(5, new Rollout.CanaryKey.Client()));
    }

    @Test
    void shadowModeWithSampleCapAndRedaction() throws Exception {
        Rollout.ModuleRollout m = ok("""
                {"mode": "shadow", "serve": "lua", "sample": 0.25, "max_cpu_share": 0.05, "redact": ["X-Api-Key"]}""");
        assertThat(m.mode()).isEqualTo(new Rollout.Mode.Shadow(0.25, 0.05, java.util.List.of("x-api-key")));
        assertThat(m.mode().servesJava()).isFalse();
        assertThat(m.bindsJava("acme")).as("the Java shadow needs the settings bound").isTrue();
        assertThat(ok(RolloutJson.module(m))).isEqualTo(m);
        assertThat(ok("{\"mode\": \"shadow\"}").mode()).isEqualTo(new Rollout.Mode.Shadow(1.0, 0.1, java.util.List.of()));
    }

    @Test
    void shadowWithJavaServing() throws Exception {
        Rollout.ModuleRollout m = ok("""
                {"mode": "shadow", "serve": "java", "sample": 0.5, "customers": {"acme": "lua"}}""");
        Rollout.Mode.Shadow sh = (Rollout.Mode.Shadow) m.mode();
        assertThat(sh).isEqualTo(new Rollout.Mode.Shadow(Rollout.Mode.Serve.JAVA, 0.5, 0.1, java.util.List.of()));
        assertThat(sh.servesJava()).isTrue();
        assertThat(sh.servesJavaAlways()).as("a customer all in such modes takes the native path").isTrue();
        assertThat(m.bindsJava("beta")).isTrue();
        assertThat(RolloutSyntax.json(sh)).contains("\"serve\":\"java\"");
        assertThat(ok(RolloutJson.module(m))).isEqualTo(m);
        assertThat(new Rollout.Mode.Shadow(1.0, 0.1, java.util.List.of()).servesJavaAlways()).isFalse();
        assertThat(new Rollout.Mode.Canary(50, new Rollout.CanaryKey.Client()).servesJavaAlways()).isFalse();
    }

    @Test
    void rollbackAndStepsRoundTripThroughTheAdminJson() throws Exception {
        String json = """
                {"mode": "lua", "rollback": {"window_s": 30, "max_fallback_rate": 0.01, "max_latency_ratio": 2.5},
                 "steps": [{"mode": "canary", "percent": 1, "key": "client"}, "java"], "step_s": 120}""";
        Rollout.ModuleRollout m = ok(json);
        assertThat(m.rollback()).contains(new Rollout.RollbackPolicy(30, 20, OptionalDouble.of(0.01),
                OptionalDouble.empty(), OptionalDouble.of(2.5), OptionalDouble.empty()));
        assertThat(m.steps()).containsExactly(new Rollout.Mode.Canary(1, new Rollout.CanaryKey.Client()),
                Rollout.Mode.JAVA);
        assertThat(m.stepSeconds()).isEqualTo(120);
        assertThat(m.bindsJava("acme")).as("a step serves Java, so the settings are bound up front").isTrue();
        assertThat(ok(RolloutJson.module(m))).isEqualTo(m);
    }

    @Test
    void errorsNameTheirField() throws Exception {
        assertThat(errors("""
                {"mode": "canary", "percent": 101, "key": "header:", "customers": {"ghost": "java", "acme": "shadow"},
                 "rollback": {"window_s": 0, "max_fallback_rate": 2}, "steps": ["java"], "extra": 1}"""))
                .containsExactlyInAnyOrder(
                        "rollout.waf.extra: 1 (expected: a known key: mode, percent, key, serve, sample, max_cpu_share, "
                                + "redact, customers, rollback, steps, step_s)",
                        "rollout.waf.percent: 101 (expected: an integer from 0 to 100)",
                        "rollout.waf.key: \"header:\" (expected: client, customer, header:<Name> or cookie:<name>)",
                        "rollout.waf.customers.ghost: \"java\" (expected: a customer of the config)",
                        "rollout.waf.customers.acme: \"shadow\" (expected: shadow as an object with serve, sample "
                                + "and max_cpu_share)",
                        "rollout.waf.rollback.window_s: 0 (expected: an integer from 1 to 86400)",
                        "rollout.waf.rollback.max_fallback_rate: 2 (expected: a number from 0 to 1)");
        assertThat(errors("{\"mode\": \"java\", \"percent\": 3}"))
                .containsExactly("rollout.waf.percent: 3 (expected: no percent outside canary mode)");
        assertThat(errors("{\"mode\": \"java\", \"steps\": [\"java\"]}")).containsExactly(
                "rollout.waf.steps: [\"java\"] (expected: steps together with rollback thresholds (promotion "
                        + "advances only while the checks hold))");
        assertThat(errors("{\"mode\": \"lua\", \"rollback\": {\"window_s\": 5}}")).containsExactly(
                "rollout.waf.rollback: {\"window_s\":5} (expected: at least one of max_fallback_rate, "
                        + "max_exception_rate, max_latency_ratio, max_mismatch_rate)");
        assertThat(errors("{\"mode\": \"shadow\", \"serve\": \"both\", \"sample\": 2}")).containsExactlyInAnyOrder(
                "rollout.waf.serve: \"both\" (expected: lua or java (the side that serves; the other is the shadow))",
                "rollout.waf.sample: 2 (expected: a number from 0 to 1)");
    }
}
