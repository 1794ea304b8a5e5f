package dev.graft.tests.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaseConfigBuilderTest {

    @TempDir
    Path scripts;

    private LegacyCase loaded(String module, String file, String json) throws IOException {
        Path dir = Files.createDirectories(scripts.resolve(module).resolve("cases"));
        return ((CaseFile.Loaded) CaseLoader.load(module, Files.writeString(dir.resolve(file), json))).legacyCase();
    }

    private void handler(String module) throws IOException {
        Files.writeString(Files.createDirectories(scripts.resolve(module)).resolve("handler.lua"), "return {}\n");
    }

    @Test
    void oneCustomerPerCaseBehindTheStandardPipelineOfExistingModules() throws IOException {
        handler("waf");
        handler("normalize");
        handler("unlisted");
        LegacyCase c = loaded("waf", "001-A.json",
                "{\"modules\": {\"waf\": {\"mode\": \"block\"}}, \"steps\": [{\"request\": {}, \"expect\": {}}]}");

        ObjectNode config = CaseConfigBuilder.build(scripts, List.of(c),
                Map.of("origin-a", new InetSocketAddress("127.0.0.1", 8081)), 18080, 19090);

        assertThat(config.path("pipeline").toString()).isEqualTo("[\"normalize\",{\"module\":\"waf\",\"reads_body\":true}]");
        assertThat(config.path("customers").path("waf-001-A").toString())
                .isEqualTo("{\"hosts\":[\"waf-001-a.test\"],\"modules\":{\"waf\":{\"mode\":\"block\"}}}");
        assertThat(config.path("upstreams").path("origin-a").path("servers").get(0).path("address").asText())
                .isEqualTo("127.0.0.1:8081");
        assertThat(config.path("listen").path("port").asInt()).isEqualTo(18080);
        assertThat(config.path("admin").path("listen").path("port").asInt()).isEqualTo(19090);
        assertThat(config.path("default_upstream").asText()).isEqualTo("origin-a");
        assertThat(config.path("shared_dicts").path("ratelimit").asText()).isEqualTo("10m");
        assertThat(config.path("scripts").asText()).isEqualTo(scripts.toAbsolutePath().normalize().toString());
    }

    @Test
    void graftJsonDecidesThePipelineAndAddsItsSharedDicts() throws IOException {
        handler("cors");
        handler("waf");
        Files.writeString(scripts.resolve("graft.json"),
                "{\"pipeline\": [\"cors\", \"gone\", \"waf\"], \"shared_dicts\": {\"cache\": \"5m\"}}");
        ObjectNode config = CaseConfigBuilder.build(scripts, List.of(), Map.of(), 1, 2);
        assertThat(config.path("pipeline").toString()).isEqualTo("[\"cors\",\"waf\"]");
        assertThat(config.path("shared_dicts").toString()).isEqualTo("{\"ratelimit\":\"10m\",\"cache\":\"5m\"}");
    }
}
