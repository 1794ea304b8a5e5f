package dev.graft.tests.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.bridge.BridgePipeline;
import dev.graft.host.bridge.BridgePipelines;
import dev.graft.host.bridge.StageModules;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline.Verdict;
import dev.graft.host.lua.LuaScripts;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shipped demo config (legacy-scripts/graft.json) with every module in Java mode and the
 * real Java modules: requests of every customer run on the native path, and no Lua VM is
 * entered (graft_lua_entries stays 0). With the rollout emptied, the same requests enter Lua.
 */
class DemoNativePathTest {

    static final class Counting implements GraftMetrics {
        int luaEntries;
        int nativeRequests;
        final List<String> fallbacks = new ArrayList<>();

        @Override public void requestServed(String customer, int status) {}
        @Override public void upstreamLatency(String upstream, long nanos) {}
        @Override public void upstreamFailure(String upstream, String kind) {}
        @Override public void luaError(String module) {}
        @Override public void budgetStop(String module) {}
        @Override public void stageFallback(String module, String reason) { fallbacks.add(module + ":" + reason); }
        @Override public void luaEntry() { luaEntries++; }
        @Override public void nativeRequest() { nativeRequests++; }
    }

    static GraftConfig demo(boolean allJava) throws Exception {
        Path file = Path.of("../legacy-scripts/graft.json").toAbsolutePath().normalize();
        ObjectNode root = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(file));
        ObjectNode rollout = root.putObject("rollout");
        if (allJava) {
            for (GraftConfig.PipelineStage s : ((ConfigResult.Valid) ConfigLoader.load(file)).config().pipeline()) {
                rollout.putObject(s.module()).put("mode", "java");
            }
        }
        ConfigResult r = ConfigLoader.check(root, file.getParent());
        assertThat(r).as(r.toString()).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid) r).config();
    }

    static Exchange request(String host, String target) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.add("Host", host);
        h.add("User-Agent", "curl/8.0");
        int q = target.indexOf('?');
        return Exchange.builder().requestId("0123456789abcdef0123456789abcdef")
                .remote(new InetSocketAddress("127.0.0.1", 40000)).local(new InetSocketAddress("127.0.0.1", 8080))
                .requestUri(target).method("GET").uri(q < 0 ? target : target.substring(0, q))
                .args(q < 0 ? null : target.substring(q + 1)).headers(h).build();
    }

    static void serve(BridgePipeline p, Exchange ex) {
        if (p.onRequest(ex) == Verdict.PROXY) {
            ex.status(200);
        }
        p.onResponseHead(ex);
        if (p.filtersBody(ex)) {
            p.onResponseBody(ex, "hello".getBytes(), true);
        }
        p.onLog(ex);
    }

    static BridgePipeline build(GraftConfig c, GraftMetrics metrics) {
        var b = BridgePipelines.build(c, BridgePipelines.bindings(c), LuaScripts.open(c.scripts()),
                SharedDicts.of(c.sharedDicts(), InstantSource.system()), InstantSource.system(), metrics, 0, 1);
        assertThat(b).as(b.toString()).isInstanceOf(BridgePipelines.Built.Ready.class);
        return ((BridgePipelines.Built.Ready) b).pipeline();
    }

    @Test
    void everyModuleHasAJavaImplementation() {
        assertThat(StageModules.discover().modules().keySet()).containsAll(Set.of("normalize", "redirects",
                "headers", "ip_rules", "waf", "ratelimit", "auth", "cors", "router", "cache", "accesslog"));
    }

    @Test
    void allJavaDemoRequestsEnterNoLuaVm() throws Exception {
        Counting metrics = new Counting();
        BridgePipeline p = build(demo(true), metrics);
        List<String[]> requests = List.of(new String[] {"shop.test", "/api/items?a=1"},
                new String[] {"shop.test", "/static/app.css"}, new String[] {"shop.test", "/old"},
                new String[] {"media.test", "/files/a.txt"}, new String[] {"legacy.test", "/"},
                new String[] {"legacy.test", "/maintenance"}, new String[] {"nobody.test", "/"});
        for (String[] r : requests) {
            serve(p, request(r[0], r[1]));
        }
        assertThat(metrics.nativeRequests).isEqualTo(requests.size());
        assertThat(metrics.luaEntries).as("fallbacks: " + metrics.fallbacks).isZero();
    }

    @Test
    void allLuaDemoRequestsEnterLua() throws Exception {
        Counting metrics = new Counting();
        BridgePipeline p = build(demo(false), metrics);
        serve(p, request("shop.test", "/api/items"));
        assertThat(metrics.nativeRequests).isZero();
        assertThat(metrics.luaEntries).isPositive();
    }
}
