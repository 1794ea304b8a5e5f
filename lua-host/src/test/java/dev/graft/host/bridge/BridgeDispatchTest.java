package dev.graft.host.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Phase;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline.Verdict;
import dev.graft.host.lua.LuaFixture;
import dev.graft.host.lua.LuaScripts;
import dev.graft.host.lua.ngx.ErrorPages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Dispatch through the bridge with test modules (probe: every phase; guard: security-critical;
 * luaonly: no Java side) behind the real driver (legacy-scripts/pipeline.lua itself, see
 * {@link BridgeScripts}): Java mode, Lua mode, per-customer overrides, the native path without
 * Lua entries, and fallbacks, exceptions and impossible outcomes in every phase on both paths.
 */
class BridgeDispatchTest {

    static final Path SCRIPTS = BridgeScripts.DIR;

    /** Counts what the bridge reports. */
    static final class Recorded implements GraftMetrics {
        int luaEntries;
        int nativeRequests;
        final List<String> fallbacks = new ArrayList<>();
        final List<String> exceptions = new ArrayList<>();
        final List<String> luaErrors = new ArrayList<>();
        final List<String> ctxFailures = new ArrayList<>();

        @Override public void requestServed(String customer, int status) {}
        @Override public void upstreamLatency(String upstream, long nanos) {}
        @Override public void upstreamFailure(String upstream, String kind) {}
        @Override public void luaError(String module) { luaErrors.add(module); }
        @Override public void budgetStop(String module) { luaErrors.add("budget:" + module); }
        @Override public void stageFallback(String module, String reason) { fallbacks.add(module + ":" + reason); }
        @Override public void stageException(String module) { exceptions.add(module); }
        @Override public void luaEntry() { luaEntries++; }
        @Override public void nativeRequest() { nativeRequests++; }
        @Override public void ctxConversionFailure(String key) { ctxFailures.add(key); }
    }

    final Recorded metrics = new Recorded();

    static GraftConfig config(String rollout) {
        String json = """
                {"listen": {"host": "127.0.0.1", "port": 18080},
                 "scripts": "%s",
                 "default_upstream": "origin-a",
                 "pipeline": ["probe", "guard", "luaonly"],
                 "upstreams": {"origin-a": {"servers": [{"address": "127.0.0.1:18081"}]}},
                 "customers": {
                   "acme": {"hosts": ["a.test"], "modules": {"probe": {"label": "x", "max_items": 3}, "guard": {}}},
                   "mixed": {"hosts": ["m.test"], "modules": {"probe": {}, "luaonly": {}}}
                 },
                 "rollout": %s}
                """.formatted(SCRIPTS, rollout);
        ConfigResult r = ConfigLoader.parse(json, SCRIPTS, "test");
        assertThat(r).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid) r).config();
    }

    BridgePipeline pipeline(GraftConfig config) {
        BridgePipelines.Built b = BridgePipelines.build(config, BridgePipelines.bindings(config),
                LuaScripts.open(config.scripts()), SharedDicts.of(config.sharedDicts(), InstantSource.system()),
                InstantSource.system(), metrics, 0, 1);
        assertThat(b).isInstanceOf(BridgePipelines.Built.Ready.class);
        return ((BridgePipelines.Built.Ready) b).pipeline();
    }

    /** A request's whole life: request phases, an origin answer when proxied, filters, log. */
    record Served(Exchange ex, Verdict verdict, String body) {
        String var(String name) {
            return ex.variables().get(name);
        }

        String header(String name) {
            return ex.responseHeaders().get(name);
        }
    }

    static Served serve(BridgePipeline p, String host, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Host";
        all[1] = host;
        System.arraycopy(headers, 0, all, 2, headers.length);
        Exchange ex = LuaFixture.exchange("GET", "/x", all);
        Verdict v = p.onRequest(ex);
        byte[] body;
        if (v == Verdict.PROXY) {
            ex.status(200);
            body = "origin".getBytes(StandardCharsets.UTF_8);
        } else {
            body = ex.output().toByteArray();
        }
        p.onResponseHead(ex);
        if (p.filtersBody(ex)) {
            body = p.onResponseBody(ex, body, true);
        }
        p.onLog(ex);
        return new Served(ex, v, new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void allLuaIsTheDriverAlone() {
        BridgePipeline p = pipeline(config("{}"));
        Served s = serve(p, "a.test");
        assertThat(s.verdict()).isEqualTo(Verdict.PROXY);
        assertThat(s.var("lua_rewrite")).isEqualTo("1");
        assertThat(s.var("lua_access")).isEqualTo("1");
        assertThat(s.var("lua_log")).isEqualTo("1");
        assertThat(s.var("guard")).isEqualTo("lua");
        assertThat(s.header("X-Lua-Header")).isEqualTo("1");
        assertThat(s.body()).isEqualTo("origin+lua");
        assertThat(s.var("java_rewrite")).isNull();
        assertThat(metrics.nativeRequests).isZero();
        assertThat(metrics.luaEntries).isPositive();
        assertThat(s.var("graft_customer")).isEqualTo("acme");
    }

    @Test
    void allJavaRunsNativelyWithoutEnteringLua() {
        BridgePipeline p = pipeline(config("{\"probe\": {\"mode\": \"java\"}, \"guard\": {\"mode\": \"java\"}}"));
        Served s = serve(p, "a.test");
        assertThat(s.verdict()).isEqualTo(Verdict.PROXY);
        assertThat(s.var("java_rewrite")).isEqualTo("1");
        assertThat(s.var("java_access")).isEqualTo("1");
        assertThat(s.var("java_log")).isEqualTo("1");
        assertThat(s.var("guard")).isEqualTo("java");
        assertThat(s.header("X-Java-Header")).isEqualTo("1");
        assertThat(s.header("X-Ctx-Count")).isEqualTo("7");
        assertThat(s.body()).isEqualTo("origin+java");
        assertThat(s.var("lua_rewrite")).isNull();
        assertThat(s.var("graft_customer")).isEqualTo("acme");
        assertThat(metrics.nativeRequests).isEqualTo(1);
        assertThat(metrics.luaEntries).isZero();
        assertThat(metrics.fallbacks).isEmpty();
    }

    @Test
    void unknownHostIsTheDrivers404WithoutLua() {
        BridgePipeline p = pipeline(config("{\"probe\": {\"mode\": \"java\"}}"));
        Served s = serve(p, "nobody.test");
        assertThat(s.ex().status()).isEqualTo(404);
        assertThat(s.body()).isEqualTo(new String(ErrorPages.page(404), StandardCharsets.US_ASCII));
        assertThat(metrics.luaEntries).isZero();
    }

    @Test
    void oneLuaStageMeansTheDriverWithJavaBackedHandlers() {
        // mixed has probe (java) and luaonly (lua): the driver runs and calls Java for probe
        BridgePipeline p = pipeline(config("{\"probe\": {\"mode\": \"java\"}}"));
        Served s = serve(p, "m.test");
        assertThat(metrics.nativeRequests).isZero();
        assertThat(metrics.luaEntries).isPositive();
        assertThat(s.var("java_rewrite")).isEqualTo("1");
        assertThat(s.var("java_access")).isEqualTo("1");
        assertThat(s.var("lua_access")).isNull();
        assertThat(s.var("luaonly")).isEqualTo("1");
        // a Java ctx write read by a Lua stage: INT 7 is the Lua number 7
        assertThat(s.var("luaonly_saw")).isEqualTo("7");
        assertThat(s.header("X-Java-Header")).isEqualTo("1");
        assertThat(s.body()).isEqualTo("origin+java");
    }

    @Test
    void ctxValuesCrossFromLuaToJavaWithTheKeysConversion() {
        BridgePipeline p = pipeline(config("{\"probe\": {\"mode\": \"java\"}}"));
        Served nine = serve(p, "m.test", "X-Ctx-Nine", "1");
        assertThat(nine.header("X-Ctx-Count")).isEqualTo("9");
        Served bad = serve(p, "m.test", "X-Ctx-Bad", "1");
        assertThat(bad.header("X-Ctx-Count")).isNull();
        assertThat(metrics.ctxFailures).containsExactly("probe_count");
    }

    @Test
    void perCustomerOverrideKeepsOneCustomerOnLua() {
        BridgePipeline p = pipeline(config(
                "{\"probe\": {\"mode\": \"java\", \"customers\": {\"mixed\": \"lua\"}}, \"guard\": {\"mode\": \"java\"}}"));
        Served acme = serve(p, "a.test");
        assertThat(acme.var("java_access")).isEqualTo("1");
        Served mixed = serve(p, "m.test");
        assertThat(mixed.var("lua_access")).isEqualTo("1");
        assertThat(mixed.var("java_access")).isNull();
    }

    enum Path2 { NATIVE, DRIVER }

    private BridgePipeline pipelineFor(Path2 path) {
        return pipeline(config(path == Path2.NATIVE
                ? "{\"probe\": {\"mode\": \"java\"}, \"guard\": {\"mode\": \"java\"}}"
                : "{\"probe\": {\"mode\": \"java\"}}"));
    }

    private static String hostFor(Path2 path) {
        return path == Path2.NATIVE ? "a.test" : "m.test";
    }

    @ParameterizedTest
    @EnumSource(Path2.class)
    void fallbackInEveryPhaseRunsTheLuaHandlerForThatPhaseOnly(Path2 path) {
        BridgePipeline p = pipelineFor(path);
        for (Phase phase : Phase.values()) {
            metrics.fallbacks.clear();
            String[] extra = phase == Phase.CONTENT ? new String[] {"X-Content", "1"} : new String[0];
            Served s = serve(p, hostFor(path), concat(extra, "X-Java-Fallback", phase.luaName()));
            assertThat(metrics.fallbacks).as(phase.luaName()).containsExactly("probe:test_reason");
            assertServedByLuaOnlyIn(s, phase);
        }
    }

    @ParameterizedTest
    @EnumSource(Path2.class)
    void exceptionInEveryPhaseIsContainedAndCountedAndLuaServes(Path2 path) {
        BridgePipeline p = pipelineFor(path);
        for (Phase phase : Phase.values()) {
            metrics.fallbacks.clear();
            metrics.exceptions.clear();
            String[] extra = phase == Phase.CONTENT ? new String[] {"X-Content", "1"} : new String[0];
            Served s = serve(p, hostFor(path), concat(extra, "X-Java-Throw", phase.luaName()));
            assertThat(metrics.exceptions).as(phase.luaName()).containsExactly("probe");
            assertThat(metrics.fallbacks).as(phase.luaName()).containsExactly("probe:exception");
            assertServedByLuaOnlyIn(s, phase);
        }
    }

    @ParameterizedTest
    @EnumSource(Path2.class)
    void anImpossibleOutcomeFallsBackInTheResponsePhases(Path2 path) {
        BridgePipeline p = pipelineFor(path);
        for (Phase phase : List.of(Phase.HEADER_FILTER, Phase.BODY_FILTER, Phase.LOG)) {
            metrics.fallbacks.clear();
            Served s = serve(p, hostFor(path), "X-Java-Bad", phase.luaName());
            assertThat(metrics.fallbacks).as(phase.luaName()).containsExactly("probe:bad_outcome");
            assertServedByLuaOnlyIn(s, phase);
        }
    }

    private static void assertServedByLuaOnlyIn(Served s, Phase phase) {
        switch (phase) {
            case REWRITE -> {
                assertThat(s.var("lua_rewrite")).isEqualTo("1");
                assertThat(s.var("java_rewrite")).isNull();
                assertThat(s.var("java_access")).isEqualTo("1");
            }
            case ACCESS -> {
                assertThat(s.var("lua_access")).isEqualTo("1");
                assertThat(s.var("java_access")).isNull();
                assertThat(s.var("java_rewrite")).isEqualTo("1");
            }
            case CONTENT -> {
                assertThat(s.var("lua_content")).isEqualTo("1");
                assertThat(s.body()).startsWith("lua content\n");
            }
            case HEADER_FILTER -> {
                assertThat(s.header("X-Lua-Header")).isEqualTo("1");
                assertThat(s.header("X-Java-Header")).isNull();
                // the Java access phase's ctx value, read by Lua
                assertThat(s.header("X-Ctx-Count")).isEqualTo("7");
            }
            case BODY_FILTER -> assertThat(s.body()).isEqualTo("origin+lua");
            case LOG -> {
                assertThat(s.var("lua_log")).isEqualTo("1");
                assertThat(s.var("java_log")).isNull();
            }
        }
        if (phase != Phase.HEADER_FILTER) {
            assertThat(s.header("X-Java-Header")).isEqualTo("1");
        }
    }

    @ParameterizedTest
    @EnumSource(Path2.class)
    void javaExitWithoutBodyIsLuasNgxExitPage(Path2 path) {
        BridgePipeline p = pipelineFor(path);
        Served java = serve(p, hostFor(path), "X-Java-Exit", "access");
        BridgePipeline lua = pipeline(config("{}"));
        Served luaSide = serve(lua, "a.test", "X-Block", "1");
        assertThat(java.ex().status()).isEqualTo(403).isEqualTo(luaSide.ex().status());
        String page = new String(ErrorPages.page(403), StandardCharsets.US_ASCII);
        assertThat(luaSide.body()).isEqualTo(page + "+lua");
        assertThat(java.body()).isEqualTo(page + "+java");
        assertThat(java.header("Content-Type")).isEqualTo(luaSide.header("Content-Type"));
    }

    @ParameterizedTest
    @EnumSource(Path2.class)
    void headerFilterExitReplacesTheResponseWithThePage(Path2 path) {
        BridgePipeline p = pipelineFor(path);
        Served s = serve(p, hostFor(path), "X-Java-Exit", "header_filter");
        assertThat(s.ex().status()).isEqualTo(502);
        assertThat(s.body()).startsWith(new String(ErrorPages.page(502), StandardCharsets.US_ASCII));
    }

    @Test
    void javaContentAnswersWithItsBody() {
        BridgePipeline p = pipelineFor(Path2.NATIVE);
        Served s = serve(p, "a.test", "X-Content", "1");
        assertThat(s.verdict()).isEqualTo(Verdict.RESPOND);
        assertThat(s.ex().status()).isEqualTo(200);
        assertThat(s.body()).isEqualTo("java content\n+java");
        assertThat(s.header("Content-Type")).isEqualTo("text/plain");
        assertThat(metrics.luaEntries).isZero();
    }

    @Test
    void aSecurityStageWhoseJavaSideThrowsIsServedByLua() {
        BridgePipeline p = pipelineFor(Path2.NATIVE);
        Served passed = serve(p, "a.test", "X-Guard-Java", "throw");
        assertThat(passed.var("guard")).isEqualTo("lua");
        assertThat(metrics.exceptions).containsExactly("guard");
        Served blocked = serve(p, "a.test", "X-Guard-Java", "throw", "X-Block", "1");
        assertThat(blocked.ex().status()).isEqualTo(403);
        assertThat(blocked.verdict()).isEqualTo(Verdict.RESPOND);
    }

    @Test
    void aSecurityStageFailingOnBothSidesIsA500NeverASkip() {
        BridgePipeline p = pipelineFor(Path2.NATIVE);
        Served s = serve(p, "a.test", "X-Guard-Java", "throw", "X-Guard-Lua", "fail");
        assertThat(s.verdict()).isEqualTo(Verdict.RESPOND);
        assertThat(s.ex().status()).isEqualTo(500);
        assertThat(s.var("guard")).isNull();
        assertThat(metrics.luaErrors).containsExactly("guard");
    }

    @Test
    void aSecurityStageFailingOnBothSidesOnTheDriverPathIsA500() {
        // guard in java for acme, probe on lua: the driver runs and calls the Java guard
        BridgePipeline p = pipeline(config("{\"guard\": {\"mode\": \"java\"}}"));
        Served s = serve(p, "a.test", "X-Guard-Java", "throw", "X-Guard-Lua", "fail");
        assertThat(s.ex().status()).isEqualTo(500);
        assertThat(metrics.nativeRequests).isZero();
    }

    @Test
    void aModuleWithoutJavaModeKeepsItsLuaHandlerTable() {
        BridgePipeline p = pipeline(config("{\"probe\": {\"mode\": \"java\"}}"));
        var r = p.lua().vm().callInit(p.lua().vm().globals().load(
                "return require('probe.handler')._VERSION, require('probe.handler').validate ~= nil"),
                org.luaj.vm2.LuaValue.NONE);
        var values = ((dev.graft.host.lua.CallResult.Returned) r).values();
        assertThat(values.arg1().tojstring()).isEqualTo("test");
        assertThat(values.arg(2).toboolean()).isTrue();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
