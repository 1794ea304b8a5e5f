package dev.graft.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.demo.DemoOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graft started in-process on loopback, with a pass-through Lua driver and a real echo origin. */
class GraftServerTest {

    @TempDir
    Path dir;

    private DemoOrigin origin;

    @BeforeEach
    void scripts() throws IOException {
        origin = DemoOrigin.startEcho("origin-a", "127.0.0.1", 0);
        Files.writeString(dir.resolve("pipeline.lua"), """
                local M = {}
                function M.init(config) M.conf = config end
                function M.config() return M.conf end
                function M.run(phase)
                  if phase == "rewrite" then ngx.ctx.customer = "acme" end
                  if phase == "access" and ngx.var.uri == "/teapot" then
                    ngx.status = 418
                    ngx.say("short and stout")
                    return ngx.exit(418)
                  end
                end
                return M
                """);
        Files.createDirectories(dir.resolve("pass"));
        Files.writeString(dir.resolve("pass/handler.lua"), "return {}");
    }

    @AfterEach
    void stop() {
        origin.close();
    }

    private GraftConfig config(String pipelineLua) throws IOException {
        if (pipelineLua != null) {
            Files.writeString(dir.resolve("pipeline.lua"), pipelineLua);
        }
        String json = """
                {"listen": {"host": "127.0.0.1", "port": 0}, "admin": {"token": "t"},
                 "default_upstream": "origin-a", "pipeline": ["pass"],
                 "shared_dicts": {"counters": "1m"},
                 "upstreams": {"origin-a": {"servers": [{"address": "127.0.0.1:%d"}]}},
                 "customers": {"acme": {"hosts": ["acme.test"], "modules": {"pass": {}}}}}
                """.formatted(origin.port());
        return ((ConfigResult.Valid) ConfigLoader.parse(json, dir, "test.json")).config();
    }

    private static String get(int port, String path, String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void proxiesToTheOriginAndServesStatusAndMetrics() throws IOException {
        try (GraftServer graft = GraftServer.start(config(null), GraftServer.Options.ephemeral())) {
            assertThat(graft.proxyPort()).isPositive();
            String proxied = get(graft.proxyPort(), "/hello?x=1", "acme.test");
            assertThat(proxied).startsWith("HTTP/1.1 200").contains("\"server\":\"origin-a\"").contains("\"path\":\"/hello?x=1\"");

            String teapot = get(graft.proxyPort(), "/teapot", "acme.test");
            assertThat(teapot).startsWith("HTTP/1.1 418").contains("short and stout");

            String status = get(graft.adminPort(), "/status", "localhost");
            assertThat(status).startsWith("HTTP/1.1 200")
                    .contains("\"proxy\" : \"127.0.0.1:" + graft.proxyPort() + "\"")
                    .contains("\"admin\" : \"127.0.0.1:" + graft.adminPort() + "\"")
                    .contains("\"acme\"")
                    .containsPattern("\"transport\" : \"(epoll|nio)\"");

            String metrics = get(graft.adminPort(), "/metrics", "localhost");
            assertThat(metrics).startsWith("HTTP/1.1 200")
                    .contains("graft_requests_total{customer=\"acme\",status=\"200\"} 1.0")
                    .contains("graft_requests_total{customer=\"acme\",status=\"418\"} 1.0");
            assertThat(graft.sharedDicts().get("counters")).isPresent();
        }
    }

    @Test
    void shutdownStopsAcceptingAndClosesTheListeners() throws IOException {
        GraftServer graft = GraftServer.start(config(null), GraftServer.Options.ephemeral());
        int port = graft.proxyPort();
        assertThat(get(port, "/hello", "acme.test")).startsWith("HTTP/1.1 200");
        graft.shutdown(java.time.Duration.ofSeconds(2));
        assertThatThrownBy(() -> get(port, "/hello", "acme.test")).isInstanceOf(java.net.ConnectException.class);
        graft.close(); // a second stop does nothing
    }

    private static String post(int port, String path, String token) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n"
                    + (token.isEmpty() ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void reloadSwapsInNewScriptsAndRefusesBrokenOnes() throws IOException {
        GraftConfig first = config(null);
        java.util.concurrent.atomic.AtomicReference<ConfigResult> source =
                new java.util.concurrent.atomic.AtomicReference<>(new ConfigResult.Valid(first));
        try (GraftServer graft = GraftServer.start(first, GraftServer.Options.ephemeral().withConfigSource(source::get))) {
            int port = graft.proxyPort();
            assertThat(get(port, "/teapot", "acme.test")).startsWith("HTTP/1.1 418");

            assertThat(post(graft.adminPort(), "/reload", "")).startsWith("HTTP/1.1 401");

            Files.writeString(dir.resolve("pipeline.lua"), """
                    local M = {}
                    function M.init(config) M.conf = config end
                    function M.config() return M.conf end
                    function M.run(phase)
                      if phase == "access" and ngx.var.uri == "/teapot" then return ngx.exit(410) end
                    end
                    return M
                    """);
            assertThat(post(graft.adminPort(), "/reload", "t"))
                    .startsWith("HTTP/1.1 200").endsWith("{\"reloaded\":true,\"generation\":1,\"needs_restart\":[]}\n");
            assertThat(get(port, "/teapot", "acme.test")).startsWith("HTTP/1.1 410");
            assertThat(get(graft.adminPort(), "/status", "localhost")).contains("\"generation\" : 1");

            Files.writeString(dir.resolve("pipeline.lua"), "local M = {} function M.init() error('half-written') end "
                    + "function M.run() end return M");
            String refused = post(graft.adminPort(), "/reload", "t");
            assertThat(refused).startsWith("HTTP/1.1 422").contains("\"reloaded\":false").contains("half-written");
            assertThat(get(port, "/teapot", "acme.test")).startsWith("HTTP/1.1 410");
        }
    }

    @Test
    void reloadKeepsTheSharedDictsAndRefusesToChangeThem() throws IOException {
        GraftConfig first = config(null);
        GraftConfig bigger = ((ConfigResult.Valid) ConfigLoader.check(
                first.raw().deepCopy().set("shared_dicts", first.raw().objectNode().put("counters", "2m")), dir)).config();
        try (GraftServer graft = GraftServer.start(first, GraftServer.Options.ephemeral())) {
            var dict = graft.sharedDicts().get("counters").orElseThrow();
            assertThat(graft.reload(bigger)).isEqualTo(new GraftServer.Reload.Refused(java.util.List.of(
                    "shared_dicts: {counters=2097152} (expected: the running {counters=1048576}; changing them needs a restart)")));
            assertThat(graft.reload(first)).isEqualTo(new GraftServer.Reload.Applied(1, java.util.List.of()));
            assertThat(graft.sharedDicts().get("counters").orElseThrow()).isSameAs(dict);
            assertThat(post(graft.adminPort(), "/reload", "t")).startsWith("HTTP/1.1 409");
        }
    }

    @Test
    void brokenScriptsFailTheStartWithTheLuaError() throws IOException {
        GraftConfig c = config("local M = {} function M.init() error('boom at init') end function M.run() end return M");
        assertThatThrownBy(() -> GraftServer.start(c, GraftServer.Options.ephemeral()))
                .isInstanceOf(GraftServer.StartFailed.class)
                .hasMessageContaining("boom at init");
    }

    @Test
    void aBusyPortFailsTheStartAndNamesTheAddress() throws IOException {
        try (GraftServer first = GraftServer.start(config(null), GraftServer.Options.ephemeral())) {
            GraftServer.Options same = GraftServer.Options.ephemeral()
                    .withAdmin(new GraftConfig.Listener("127.0.0.1", first.adminPort()));
            assertThatThrownBy(() -> GraftServer.start(config(null), same))
                    .isInstanceOf(GraftServer.StartFailed.class)
                    .hasMessageStartingWith("admin: cannot listen on 127.0.0.1:" + first.adminPort() + ": ");
        }
    }

    /**
     * Issue 2: a Lua error and a runaway loop are each contained to their request (a 500 that
     * names the request id, a metric) while other requests, before, between and after, on the
     * same event loop, keep being proxied.
     */
    @Test
    void luaErrorAndRunawayLoopAreContainedWhileOtherRequestsSucceed() throws Exception {
        GraftConfig config = config("""
                local M = {}
                function M.init(config) M.conf = config end
                function M.config() return M.conf end
                function M.run(phase)
                  if phase == "rewrite" then ngx.ctx.customer = "acme" end
                  if phase == "access" then
                    if ngx.var.uri == "/boom" then error("broken stage") end
                    if ngx.var.uri == "/spin" then while true do end end
                  end
                end
                return M
                """);
        try (GraftServer graft = GraftServer.start(config, GraftServer.Options.ephemeral())) {
            int port = graft.proxyPort();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                java.util.List<java.util.concurrent.Future<String>> normal = new java.util.ArrayList<>();
                java.util.List<java.util.concurrent.Future<String>> broken = new java.util.ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String path = "/ok-" + i;
                    normal.add(pool.submit(() -> get(port, path, "acme.test")));
                    if (i % 5 == 0) {
                        broken.add(pool.submit(() -> get(port, "/boom", "acme.test")));
                        broken.add(pool.submit(() -> get(port, "/spin", "acme.test")));
                    }
                }
                for (int i = 0; i < normal.size(); i++) {
                    assertThat(normal.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS))
                            .startsWith("HTTP/1.1 200").contains("\"path\":\"/ok-" + i + "\"");
                }
                for (var f : broken) {
                    String r = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(r).startsWith("HTTP/1.1 500").containsPattern("request id: [0-9a-f]{32}");
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(get(port, "/after", "acme.test")).startsWith("HTTP/1.1 200");
            String metrics = get(graft.adminPort(), "/metrics", "localhost");
            assertThat(metrics).containsPattern("graft_lua_errors_total\\{[^}]*\\} 4.0")
                    .containsPattern("graft_lua_budget_stops_total\\{[^}]*\\} 4.0")
                    .contains("graft_requests_total{customer=\"acme\",status=\"500\"} 8.0");
        }
    }
}
