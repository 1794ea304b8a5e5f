package dev.graft.host.lua;

import static dev.graft.host.lua.LuaFixture.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.Rollout;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline over a small driver that follows legacy-scripts/README.md: it runs the
 * {@code step} module's function for the phase, and the module does what the request's
 * {@code X-Do} header says.
 */
class LuaPipelineTest {

    private static final String DRIVER = """
            local M = {}
            local conf
            function M.init(c) conf = c end
            function M.config() return conf end
            function M.run(phase)
              local h = require("step.handler")
              if h[phase] then h[phase](conf) end
            end
            return M
            """;

    private static final String STEP = """
            local M = {}
            local function act(phase)
              local what = ngx.req.get_headers()["x-do-" .. phase] or ""
              if what == "exit403" then return ngx.exit(403) end
              if what == "exitok" then ngx.exit(ngx.OK) ngx.var.after = "1" end
              if what == "error" then error("boom") end
              if what == "errorexit" then return ngx.exit(ngx.ERROR) end
              if what == "spin" then while true do end end
              if what == "redirect" then return ngx.redirect("/elsewhere", 301) end
              if what == "say" then ngx.say("hi from ", phase) end
              if what == "sayexit" then ngx.status = 202 ngx.say("partial") return ngx.exit(500) end
              if what == "content" then ngx.var.graft_content = "1" end
              if what == "jump" then
                if ngx.var.uri ~= "/jumped" then ngx.req.set_uri("/jumped", true) end
              end
              if what == "loop" then ngx.req.set_uri("/again", true) end
              if what == "header" then ngx.header["X-Filtered"] = "yes" end
              if what == "upper" then ngx.arg[1] = string.upper(ngx.arg[1]) end
              if what == "upstream" then ngx.var.graft_upstream = "origin-b" end
              if what == "hfexit" then ngx.exit(503) end
              if what == "exit200" then return ngx.exit(200) end
              if what == "nocontent" then ngx.var.graft_content = "" end
              ngx.var["ran_" .. phase] = "1"
            end
            for _, p in ipairs({"rewrite", "access", "content", "header_filter", "body_filter", "log"}) do
              M[p] = function(conf) act(p) end
            end
            return M
            """;

    @TempDir
    Path dir;
    LuaPipeline pipeline;
    final List<String> luaErrors = new ArrayList<>();
    final List<String> budgetStops = new ArrayList<>();

    final GraftMetrics metrics = new GraftMetrics() {
        @Override public void requestServed(String customer, int status) {}
        @Override public void upstreamLatency(String upstream, long nanos) {}
        @Override public void upstreamFailure(String upstream, String kind) {}
        @Override public void luaError(String module) { luaErrors.add(module); }
        @Override public void budgetStop(String module) { budgetStops.add(module); }
    };

    @BeforeEach
    void setUp() throws Exception {
        LuaFixture.write(dir, "pipeline.lua", DRIVER);
        LuaFixture.write(dir, "step/handler.lua", STEP);
        pipeline = build(List.of(new GraftConfig.PipelineStage("step", true)));
    }

    private LuaPipeline build(List<GraftConfig.PipelineStage> stages) throws Exception {
        ObjectNode raw = (ObjectNode) new ObjectMapper().readTree(
                "{\"pipeline\": [\"step\"], \"customers\": {\"acme\": {\"hosts\": [\"a.test\"]}}, \"nothing\": null}");
        GraftConfig config = new GraftConfig(new GraftConfig.Listener("127.0.0.1", 8080),
                new GraftConfig.AdminConfig(new GraftConfig.Listener("127.0.0.1", 9090), "t"), dir, stages,
                Map.of(), Map.of(), Map.of(), GraftConfig.Limits.DEFAULTS, raw, "origin-a", 200_000, Rollout.ALL_LUA);
        LuaPipeline.Build b = LuaPipeline.create(config, LuaScripts.open(dir), metrics, 0, 1, List.of());
        assertThat(b).isInstanceOf(LuaPipeline.Build.Ready.class);
        return ((LuaPipeline.Build.Ready) b).pipeline();
    }

    private static Exchange request(String... headers) {
        return exchange("GET", "/p?x=1", headers);
    }

    private static String body(Exchange ex) {
        return ex.output().toString(StandardCharsets.UTF_8);
    }

    @Test
    void initGetsTheConfigAsATable() {
        var r = pipeline.vm().callInit(pipeline.vm().globals().load(
                "local c = require('pipeline').config() return c.customers.acme.hosts[1], c.nothing == ngx.null"),
                org.luaj.vm2.LuaValue.NONE);
        var values = ((CallResult.Returned) r).values();
        assertThat(values.arg1().tojstring()).isEqualTo("a.test");
        assertThat(values.arg(2).toboolean()).isTrue();
    }

    @Test
    void plainRequestIsProxiedToTheDefaultOrChosenUpstream() {
        Exchange ex = request();
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.PROXY);
        assertThat(ex.variables()).containsKeys("ran_rewrite", "ran_access");
        assertThat(ex.upstream()).contains("origin-a");
        Exchange routed = request("X-Do-Access", "upstream");
        assertThat(pipeline.onRequest(routed)).isEqualTo(Verdict.PROXY);
        assertThat(routed.upstream()).contains("origin-b");
    }

    @Test
    void exitWithStatusRespondsWithNginxPage() {
        Exchange ex = request("X-Do-Rewrite", "exit403");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.RESPOND);
        assertThat(ex.status()).isEqualTo(403);
        assertThat(body(ex)).isEqualTo("<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n"
                + "<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
        assertThat(ex.responseHeaders().get("Content-Type")).isEqualTo("text/html");
        assertThat(ex.variables()).doesNotContainKey("ran_access");
    }

    @Test
    void exitOkQuitsThePhaseAndContinues() {
        Exchange ex = request("X-Do-Rewrite", "exitok");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.PROXY);
        assertThat(ex.variables()).doesNotContainKeys("after", "ran_rewrite").containsKey("ran_access");
    }

    @Test
    void exitErrorIs500() {
        Exchange ex = request("X-Do-Access", "errorexit");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.RESPOND);
        assertThat(ex.status()).isEqualTo(500);
        assertThat(body(ex)).contains("500 Internal Server Error");
    }

    @Test
    void redirect() {
        Exchange ex = request("X-Do-Access", "redirect");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.RESPOND);
        assertThat(ex.status()).isEqualTo(301);
        assertThat(ex.responseHeaders().get("Location")).isEqualTo("/elsewhere");
        assertThat(body(ex)).contains("<title>301 Moved Permanently</title>");
    }

    @Test
    void outputInAccessAnswersTheRequest() {
        Exchange ex = request("X-Do-Access", "say");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.RESPOND);
        assertThat(ex.status()).isEqualTo(200);
        assertThat(body(ex)).isEqualTo("hi from access\n");
    }

    @Test
    void exitAfterOutputKeepsTheOutputAndStatus() {
        Exchange ex = request("X-Do-Access", "sayexit");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.RESPOND);
        assertThat(ex.status()).isEqualTo(202);
        assertThat(body(ex)).isEqualTo("partial\n");
    }

    @Test
    void contentRunsWhenAStageAsksForIt() {
        Exchange ex = request("X-Do-Access", "content", "X-Do-Content", "say");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.RESPOND);
        assertThat(body(ex)).isEqualTo("hi from content\n");
        assertThat(ex.status()).isEqualTo(200);
    }

    @Test
    void luaErrorIsAContained500WithTheRequestIdAndTheWorkerKeepsServing() {
        Exchange ex = request("X-Do-Access", "error");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.RESPOND);
        assertThat(ex.status()).isEqualTo(500);
        assertThat(body(ex)).contains("500 Internal Server Error").contains("request id: req-1");
        assertThat(luaErrors).containsExactly("step");
        Exchange next = request();
        assertThat(pipeline.onRequest(next)).isEqualTo(Verdict.PROXY);
    }

    @Test
    void runawayLoopIsStoppedCountedAndTheWorkerKeepsServing() {
        Exchange ex = request("X-Do-Rewrite", "spin");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.RESPOND);
        assertThat(ex.status()).isEqualTo(500);
        assertThat(body(ex)).contains("request id: req-1");
        assertThat(budgetStops).containsExactly("step");
        assertThat(pipeline.onRequest(request())).isEqualTo(Verdict.PROXY);
    }

    @Test
    void jumpRerunsRewriteWithTheNewUri() {
        Exchange ex = request("X-Do-Rewrite", "jump");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.PROXY);
        assertThat(ex.uri()).isEqualTo("/jumped");
        assertThat(ex.variables()).containsKeys("ran_rewrite", "ran_access");
    }

    @Test
    void endlessJumpsAre500() {
        Exchange ex = request("X-Do-Rewrite", "loop");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.RESPOND);
        assertThat(ex.status()).isEqualTo(500);
    }

    @Test
    void headerFilterBodyFilterAndLog() {
        Exchange ex = request("X-Do-Header_filter", "header", "X-Do-Body_filter", "upper", "X-Do-Log", "error");
        pipeline.onRequest(ex);
        ex.status(200);
        pipeline.onResponseHead(ex);
        assertThat(ex.responseHeaders().get("X-Filtered")).isEqualTo("yes");
        assertThat(pipeline.filtersBody(ex)).isTrue();
        byte[] same = "unchanged".getBytes();
        assertThat(pipeline.onResponseBody(request(), same, false)).isSameAs(same);
        assertThat(new String(pipeline.onResponseBody(ex, "abc".getBytes(), true))).isEqualTo("ABC");
        pipeline.onLog(ex);
        assertThat(luaErrors).containsExactly("step");
    }

    @Test
    void exitInHeaderFilterReplacesTheResponseWithThePage() {
        Exchange ex = request("X-Do-Header_filter", "hfexit");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.PROXY);
        ex.status(200);
        ex.responseHeaders().set("Content-Type", "application/json").set("Content-Length", "20");
        pipeline.onResponseHead(ex);
        assertThat(ex.status()).isEqualTo(503);
        assertThat(ex.responseHeaders().get("Content-Type")).isEqualTo("text/html");
        assertThat(ex.responseHeaders().contains("Content-Length")).isFalse();
        assertThat(pipeline.filtersBody(ex)).isTrue();
        assertThat(new String(pipeline.onResponseBody(ex, "{\"upstream\": 1}".getBytes(), false)))
                .contains("<title>503 Service Temporarily Unavailable</title>");
        assertThat(pipeline.onResponseBody(ex, "more".getBytes(), true)).isEmpty();
    }

    @Test
    void localResponsesDefaultToTextPlainLikeNginx() {
        Exchange said = request("X-Do-Access", "say");
        pipeline.onRequest(said);
        assertThat(said.responseHeaders().get("Content-Type")).isEqualTo("text/plain");
        Exchange ok = request("X-Do-Access", "exit200");
        assertThat(pipeline.onRequest(ok)).isEqualTo(Verdict.RESPOND);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(body(ok)).isEmpty();
        assertThat(ok.responseHeaders().get("Content-Type")).isEqualTo("text/plain");
    }

    @Test
    void emptyGraftContentMeansNoContentPhase() {
        Exchange ex = request("X-Do-Access", "nocontent");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.PROXY);
        assertThat(ex.variables()).containsEntry("graft_content", "");
    }

    @Test
    void wantsBodyWhenAStageReadsItAndTheRequestHasOne() throws Exception {
        assertThat(pipeline.wantsBody(request("Content-Length", "10"))).isTrue();
        assertThat(pipeline.wantsBody(request("Transfer-Encoding", "chunked"))).isTrue();
        assertThat(pipeline.wantsBody(request())).isFalse();
        assertThat(pipeline.wantsBody(request("Content-Length", "0"))).isFalse();
        LuaPipeline noReader = build(List.of(new GraftConfig.PipelineStage("step", false)));
        assertThat(noReader.wantsBody(request("Content-Length", "10"))).isFalse();
    }

    @Test
    void brokenDriverFailsTheBuildWithAMessage() throws Exception {
        LuaFixture.write(dir, "pipeline.lua", "return { init = function() error('bad config') end, run = function() end }");
        ObjectNode raw = new ObjectMapper().createObjectNode();
        GraftConfig config = new GraftConfig(new GraftConfig.Listener("127.0.0.1", 8080),
                new GraftConfig.AdminConfig(new GraftConfig.Listener("127.0.0.1", 9090), "t"), dir, List.of(),
                Map.of(), Map.of(), Map.of(), GraftConfig.Limits.DEFAULTS, raw, "", 1000, Rollout.ALL_LUA);
        LuaPipeline.Build b = LuaPipeline.create(config, LuaScripts.open(dir), metrics, 0, 1, List.of());
        assertThat(b).isInstanceOfSatisfying(LuaPipeline.Build.Failed.class,
                f -> assertThat(f.message()).contains("init failed").contains("bad config"));
    }
}
