package dev.graft.host.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.bridge.BridgeScripts;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** The bridge test scripts (probe, guard, luaonly) with a rollout section and an admin token. */
final class RolloutFixture {

    static final Path SCRIPTS = BridgeScripts.DIR;
    static final String TOKEN = "r1-secret";

    private RolloutFixture() {}

    static GraftConfig config(String rollout) {
        String json = """
                {"listen": {"host": "127.0.0.1", "port": 18080},
                 "admin": {"listen": {"host": "127.0.0.1", "port": 18082}, "token": "%s"},
                 "scripts": "%s",
                 "default_upstream": "origin-a",
                 "pipeline": ["probe", "guard", "luaonly"],
                 "upstreams": {"origin-a": {"servers": [{"address": "127.0.0.1:18081"}]}},
                 "customers": {
                   "acme": {"hosts": ["a.test"], "modules": {"probe": {"label": "x", "max_items": 3}, "guard": {}}},
                   "mixed": {"hosts": ["m.test"], "modules": {"probe": {}, "luaonly": {}}}
                 },
                 "rollout": %s}
                """.formatted(TOKEN, SCRIPTS, rollout);
        ConfigResult r = ConfigLoader.parse(json, SCRIPTS, "test");
        assertThat(r).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid) r).config();
    }

    static HttpResponse<String> admin(InetSocketAddress admin, String method, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try (HttpClient c = HttpClient.newHttpClient()) {
            return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
