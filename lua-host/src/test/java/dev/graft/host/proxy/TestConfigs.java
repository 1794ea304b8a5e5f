package dev.graft.host.proxy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.GraftConfig.Limits;
import dev.graft.host.config.GraftConfig.Server;
import dev.graft.host.config.GraftConfig.UpstreamConfig;
import dev.graft.host.config.Rollout;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Configs for proxy tests: loopback on a free port, upstreams as given. */
final class TestConfigs {

    static final Limits LIMITS = new Limits(1024, 4096, 50, 64 * 1024, 30_000);

    private TestConfigs() {}

    static UpstreamConfig upstream(int port, long connectMs, long readMs, long idleMs) {
        return new UpstreamConfig(List.of(new Server("127.0.0.1", port, 1)), connectMs, readMs, idleMs, 8);
    }

    static GraftConfig config(Map<String, UpstreamConfig> upstreams, String defaultUpstream, Limits limits) {
        return new GraftConfig(
                new GraftConfig.Listener("127.0.0.1", 0),
                new GraftConfig.AdminConfig(new GraftConfig.Listener("127.0.0.1", 0), "t"),
                Path.of("."),
                List.of(),
                upstreams,
                Map.of(),
                Map.of(),
                limits,
                JsonNodeFactory.instance.objectNode().put("default_upstream", defaultUpstream),
                defaultUpstream,
                GraftConfig.DEFAULT_LUA_INSTRUCTION_BUDGET,
                Rollout.ALL_LUA);
    }
}
