package dev.graft.host.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.config.ConfigError;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.Rollout;
import dev.graft.host.lua.LuaScripts;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rollout section and the load-time checks of Java modules: modes, overrides, unknown
 * names, a Java mode without a Java implementation, settings the Java module refuses (binding
 * and constructor errors with their JSON path), and settings the Lua handler's validate refuses.
 */
class BridgeConfigTest {

    static ConfigResult load(String probeSettings, String rollout) {
        String json = """
                {"listen": {"host": "127.0.0.1", "port": 18080},
                 "scripts": "%s", "default_upstream": "origin-a",
                 "pipeline": ["probe", "guard", "luaonly"],
                 "upstreams": {"origin-a": {"servers": [{"address": "127.0.0.1:18081"}]}},
                 "customers": {
                   "acme": {"hosts": ["a.test"], "modules": {"probe": %s, "guard": {}}},
                   "other": {"hosts": ["o.test"], "modules": {"probe": {}}}
                 },
                 "rollout": %s}
                """.formatted(BridgeDispatchTest.SCRIPTS, probeSettings, rollout);
        return ConfigLoader.parse(json, BridgeDispatchTest.SCRIPTS, "test");
    }

    static List<String> errors(ConfigResult r) {
        assertThat(r).isInstanceOf(ConfigResult.Invalid.class);
        return ((ConfigResult.Invalid) r).errors().stream().map(ConfigError::message).toList();
    }

    static GraftConfig valid(ConfigResult r) {
        assertThat(r).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid) r).config();
    }

    @Test
    void modesAndOverridesAreRead() {
        GraftConfig c = valid(load("{}", "{\"probe\": {\"mode\": \"java\", \"customers\": {\"other\": \"lua\"}}}"));
        assertThat(c.rollout().mode("probe", "acme")).isEqualTo(Rollout.Mode.JAVA);
        assertThat(c.rollout().mode("probe", "other")).isEqualTo(Rollout.Mode.LUA);
        assertThat(c.rollout().mode("guard", "acme")).isEqualTo(Rollout.Mode.LUA);
        assertThat(c.rollout().javaModules()).containsExactly("probe");
    }

    @Test
    void withoutARolloutEveryModuleIsLua() {
        String json = """
                {"listen": {"host": "127.0.0.1", "port": 18080}, "default_upstream": "origin-a",
                 "scripts": "%s", "pipeline": ["probe"], "customers": {"acme": {"hosts": ["a.test"]}},
                 "upstreams": {"origin-a": {"servers": [{"address": "127.0.0.1:18081"}]}}}
                """.formatted(BridgeDispatchTest.SCRIPTS);
        assertThat(valid(ConfigLoader.parse(json, BridgeDispatchTest.SCRIPTS, "t")).rollout()).isEqualTo(Rollout.ALL_LUA);
    }

    @Test
    void unknownModuleModeAndCustomerAreFieldErrors() {
        assertThat(errors(load("{}", """
                {"nosuch": {"mode": "java"},
                 "probe": {"mode": "rust", "customers": {"ghost": "java", "other": "maybe"}, "extra": 1}}
                """))).containsExactlyInAnyOrder(
                "rollout.nosuch: {\"mode\":\"java\"} (expected: a module of the pipeline: probe, guard, luaonly)",
                "rollout.probe.mode: \"rust\" (expected: lua, java, canary or shadow)",
                "rollout.probe.customers.ghost: \"java\" (expected: a customer of the config)",
                "rollout.probe.customers.other: \"maybe\" (expected: lua, java, canary or shadow)",
                "rollout.probe.extra: 1 (expected: a known key: mode, percent, key, serve, sample, max_cpu_share, "
                        + "redact, customers, rollback, steps, step_s)");
    }

    @Test
    void javaModeWithoutAJavaImplementationIsRefused() {
        List<String> e = errors(load("{}", "{\"luaonly\": {\"mode\": \"java\"}}"));
        assertThat(e).hasSize(1);
        assertThat(e.get(0)).startsWith("rollout.luaonly.mode: \"java\" (expected: lua: no Java implementation of "
                + "luaonly is on the classpath");
    }

    @Test
    void settingsOfTheWrongTypeNameTheirPath() {
        assertThat(errors(load("{\"max_items\": \"x\"}", "{\"probe\": {\"mode\": \"java\"}}")))
                .containsExactly("customers.acme.modules.probe.max_items: \"x\" (expected: an integer)");
    }

    @Test
    void theConstructorsRefusalIsPrefixedWithThePath() {
        assertThat(errors(load("{\"max_items\": -1}", "{\"probe\": {\"mode\": \"java\"}}")))
                .containsExactly("customers.acme.modules.probe.max_items: -1 (expected: 0 or more)");
    }

    @Test
    void settingsOfACustomerServedByLuaAreNotBound() {
        // Java refuses acme's settings, but acme stays on Lua for probe
        valid(load("{\"max_items\": -1}", "{\"probe\": {\"mode\": \"java\", \"customers\": {\"acme\": \"lua\"}}}"));
    }

    @Test
    void settingsTheLuaHandlersValidateRefusesFailTheBuild() {
        GraftConfig c = valid(load("{\"label\": \"lua-refuses\"}", "{\"probe\": {\"mode\": \"java\"}}"));
        BridgePipelines.Built b = BridgePipelines.build(c, BridgePipelines.bindings(c), LuaScripts.open(c.scripts()),
                SharedDicts.empty(), InstantSource.system(), GraftMetrics.NONE, 0, 1);
        assertThat(b).isInstanceOf(BridgePipelines.Built.Failed.class);
        assertThat(((BridgePipelines.Built.Failed) b).message()).isEqualTo(
                "customers.acme.modules.probe: label: lua-refuses (expected: anything else) (expected: settings both "
                + "sides accept: the Java module accepts them, the Lua handler's validate refuses them)");
    }

    @Test
    void settingsTheJavaModuleRefusesButLuaAcceptsAreRefusedAtLoad() {
        assertThat(errors(load("{\"label\": \"java-refuses\"}", "{\"probe\": {\"mode\": \"java\"}}")))
                .containsExactly("customers.acme.modules.probe.label: \"java-refuses\" (expected: anything else)");
    }

    @Test
    void theBinderMapsSnakeCaseAndKeepsUnknownKeysOut() {
        GraftConfig c = valid(load("{\"max_items\": 4, \"unknown\": true}", "{\"probe\": {\"mode\": \"java\"}}"));
        Object bound = BridgePipelines.bindings(c).find("probe").orElseThrow().config("acme").orElseThrow();
        assertThat(bound).isEqualTo(new ProbeStage.ProbeConfig(java.util.Optional.empty(), java.util.Optional.of(4)));
    }

    @Test
    void aJavaModuleWhosePhasesDifferFromItsLuaHandlerIsRefused() {
        // guard's Lua handler has access only; a Java guard declaring rewrite too does not load
        GraftConfig c = valid(load("{}", "{\"guard\": {\"mode\": \"java\"}}"));
        dev.graft.bridge.StageModule<GuardStage.GuardConfig> wider = new dev.graft.bridge.StageModule<>() {
            @Override public String name() { return "guard"; }
            @Override public Class<GuardStage.GuardConfig> configType() { return GuardStage.GuardConfig.class; }
            @Override public java.util.Set<dev.graft.bridge.Phase> phases() {
                return java.util.Set.of(dev.graft.bridge.Phase.REWRITE, dev.graft.bridge.Phase.ACCESS);
            }
        };
        ModuleBindings bindings = ((ModuleBindings.Result.Bound) ModuleBindings.bind(c,
                StageModules.of(List.of(wider)))).bindings();
        BridgePipelines.Built b = BridgePipelines.build(c, bindings, LuaScripts.open(c.scripts()),
                SharedDicts.empty(), InstantSource.system(), GraftMetrics.NONE, 0, 1);
        assertThat(b).isInstanceOf(BridgePipelines.Built.Failed.class);
        assertThat(((BridgePipelines.Built.Failed) b).message()).contains(
                "bridge: guard: the Java module's phases [access, rewrite] differ from the Lua handler's [access]");
    }
}
