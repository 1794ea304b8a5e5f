package dev.graft.tests.legacy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * Builds the Graft config the suites serve: one customer per case (named by the case id,
 * host {@code <case id>.test}, the case's module settings), behind the pipeline of
 * legacy-scripts/graft.json when it exists, else the standard order, keeping only modules
 * whose handler.lua exists. The python dev tool (/work/devtools/ngx-cases.py) builds the same.
 */
public final class CaseConfigBuilder {

    /** The pipeline order of legacy-scripts/README.md, used while graft.json does not exist. */
    static final String STANDARD_PIPELINE = """
            ["normalize", "redirects", "headers", "ip_rules", {"module": "waf", "reads_body": true},
             "ratelimit", "auth", "cors", "router", "cache", "accesslog"]
            """;

    private static final JsonMapper JSON = new JsonMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CaseConfigBuilder() {}

    /**
     * @param scripts    the legacy-scripts folder (written as an absolute {@code scripts})
     * @param cases      the cases to serve
     * @param upstreams  each upstream's address by name; {@code origin-a} is the default upstream
     * @param listenPort the proxy's port on 127.0.0.1
     * @param adminPort  the admin listener's port on 127.0.0.1
     */
    public static ObjectNode build(Path scripts, Collection<LegacyCase> cases, Map<String, InetSocketAddress> upstreams,
            int listenPort, int adminPort) {
        requireNonNull(scripts, "scripts");
        requireNonNull(cases, "cases");
        requireNonNull(upstreams, "upstreams");
        JsonNode demo = demoConfig(scripts);

        ObjectNode config = NODES.objectNode();
        config.putObject("listen").put("host", "127.0.0.1").put("port", listenPort);
        ObjectNode admin = config.putObject("admin");
        admin.putObject("listen").put("host", "127.0.0.1").put("port", adminPort);
        admin.put("token", "cases");
        config.put("scripts", scripts.toAbsolutePath().normalize().toString());
        config.put("default_upstream", "origin-a");

        ArrayNode pipeline = config.putArray("pipeline");
        for (JsonNode stage : demo.path("pipeline")) {
            String module = stage.isTextual() ? stage.asText() : stage.path("module").asText();
            if (Files.isRegularFile(scripts.resolve(module).resolve("handler.lua"))) {
                pipeline.add(stage.deepCopy());
            }
        }

        ObjectNode dicts = config.putObject("shared_dicts");
        dicts.put("ratelimit", "10m");
        for (Map.Entry<String, JsonNode> dict : demo.path("shared_dicts").properties()) {
            dicts.set(dict.getKey(), dict.getValue().deepCopy());
        }

        ObjectNode ups = config.putObject("upstreams");
        upstreams.forEach((name, address) -> {
            ObjectNode up = ups.putObject(name);
            up.putArray("servers").addObject()
                    .put("address", address.getHostString() + ":" + address.getPort())
                    .put("weight", 1);
            up.put("connect_timeout_ms", 2000).put("read_timeout_ms", 30000).put("idle_timeout_ms", 60000);
        });

        ObjectNode customers = config.putObject("customers");
        for (LegacyCase c : cases) {
            ObjectNode customer = customers.putObject(c.id());
            customer.putArray("hosts").add(c.host());
            customer.set("modules", c.modules().deepCopy());
        }
        return config;
    }

    /** legacy-scripts/graft.json, or a stand-in holding only the standard pipeline. */
    private static JsonNode demoConfig(Path scripts) {
        try {
            Path demo = scripts.resolve("graft.json");
            if (Files.isRegularFile(demo)) {
                return JSON.readTree(demo.toFile());
            }
            ObjectNode standIn = NODES.objectNode();
            standIn.set("pipeline", JSON.readTree(STANDARD_PIPELINE));
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException("legacy-scripts/graft.json: unreadable", e);
        }
    }
}
