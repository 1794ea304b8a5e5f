package dev.graft.host.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoConfigTest {

    private static final Path DEMO = Path.of("..", "legacy-scripts", "graft.json");

    @Test
    void pointsNamedUpstreamsAtTheOriginsAndLeavesTheRest() throws Exception {
        ObjectNode raw = (ObjectNode) JsonMapper.builder().build().readTree("""
                {"upstreams": {"origin-a": {"servers": [{"address": "127.0.0.1:8081", "weight": 3}], "read_timeout_ms": 5},
                               "other": {"servers": [{"address": "10.0.0.1:80"}]}}}
                """);
        ObjectNode pointed = DemoConfig.pointAt(raw, Map.of("origin-a", new InetSocketAddress("127.0.0.1", 40001),
                "bucket", new InetSocketAddress("127.0.0.1", 40003)));
        assertThat(pointed.toString()).isEqualTo("{\"upstreams\":{\"origin-a\":{\"servers\":[{\"address\":\"127.0.0.1:40001\","
                + "\"weight\":1}],\"read_timeout_ms\":5},\"other\":{\"servers\":[{\"address\":\"10.0.0.1:80\"}]}}}");
        assertThat(raw.get("upstreams").get("origin-a").get("servers").get(0).get("address").asText())
                .isEqualTo("127.0.0.1:8081");
    }

    /** The demo config ships with the repo: it must stay valid, and name the demo origins. */
    @Test
    void theShippedDemoConfigIsValid() {
        assumeTrue(Files.exists(DEMO), "built outside the repository");
        ConfigResult r = ConfigLoader.load(DEMO);
        assertThat(r).isInstanceOf(ConfigResult.Valid.class);
        GraftConfig c = ((ConfigResult.Valid) r).config();
        assertThat(c.upstreams()).containsKeys("origin-a", "origin-b", "bucket");
        assertThat(c.customers()).containsKey("shop");
        assertThat(c.customers().get("shop").hosts()).contains("shop.test");
    }
}
