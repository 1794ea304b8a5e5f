package dev.graft.host.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.config.GraftConfig.Limits;
import dev.graft.host.config.GraftConfig.Listener;
import dev.graft.host.config.GraftConfig.PipelineStage;
import dev.graft.host.config.GraftConfig.Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @BeforeEach
    void scripts() throws IOException {
        Files.writeString(dir.resolve("pipeline.lua"), "return {}");
        for (String m : List.of("normalize", "waf", "router")) {
            Files.createDirectories(dir.resolve(m));
            Files.writeString(dir.resolve(m).resolve("handler.lua"), "return {}");
        }
    }

    private static final String VALID = """
            {
              "listen": {"host": "127.0.0.1", "port": 8080},
              "admin": {"listen": {"host": "127.0.0.1", "port": 9090}, "token": "t0k"},
              "scripts": ".",
              "default_upstream": "origin-a",
              "pipeline": ["normalize", {"module": "waf", "reads_body": true}, "router"],
              "shared_dicts": {"ratelimit": "10m", "small": "512k", "bytes": 4096},
              "upstreams": {
                "origin-a": {"servers": [{"address": "127.0.0.1:8081", "weight": 2}], "connect_timeout_ms": 500},
                "origin-b": {"servers": [{"address": "localhost:8082"}]}
              },
              "customers": {
                "acme": {"hosts": ["acme.test", "www.acme.test"], "modules": {"waf": {"mode": "block"}}},
                "beta": {"hosts": ["beta.test"]}
              }
            }
            """;

    private ConfigResult parse(String json) {
        return ConfigLoader.parse(json, dir, "graft.json");
    }

    private List<String> errors(String json) {
        ConfigResult r = parse(json);
        assertThat(r).isInstanceOf(ConfigResult.Invalid.class);
        return ((ConfigResult.Invalid) r).errors().stream().map(ConfigError::message).toList();
    }

    @Test
    void readsAValidConfigWithItsDefaults() {
        ConfigResult r = parse(VALID);
        assertThat(r).isInstanceOf(ConfigResult.Valid.class);
        GraftConfig c = ((ConfigResult.Valid) r).config();
        assertThat(c.listen()).isEqualTo(new Listener("127.0.0.1", 8080));
        assertThat(c.admin().token()).isEqualTo("t0k");
        assertThat(c.scripts()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(c.defaultUpstream()).isEqualTo("origin-a");
        assertThat(c.pipeline()).containsExactly(
                new PipelineStage("normalize", false), new PipelineStage("waf", true), new PipelineStage("router", false));
        assertThat(c.sharedDicts()).containsEntry("ratelimit", 10L << 20).containsEntry("small", 512L << 10)
                .containsEntry("bytes", 4096L);
        var a = c.upstreams().get("origin-a");
        assertThat(a.servers()).containsExactly(new Server("127.0.0.1", 8081, 2));
        assertThat(a.connectTimeoutMs()).isEqualTo(500);
        assertThat(a.readTimeoutMs()).isEqualTo(30_000);
        assertThat(a.idleTimeoutMs()).isEqualTo(60_000);
        assertThat(a.maxIdlePerLoop()).isEqualTo(64);
        assertThat(c.upstreams().get("origin-b").servers()).containsExactly(new Server("localhost", 8082, 1));
        assertThat(c.customers().get("acme").hosts()).containsExactly("acme.test", "www.acme.test");
        assertThat(c.customers().get("acme").modules().get("waf").get("mode").asText()).isEqualTo("block");
        assertThat(c.customers().get("beta").modules()).isEmpty();
        assertThat(c.limits()).isEqualTo(Limits.DEFAULTS);
        assertThat(c.limits().maxBufferedBodyBytes()).isEqualTo(1L << 20);
        assertThat(c.luaInstructionBudget()).isEqualTo(GraftConfig.DEFAULT_LUA_INSTRUCTION_BUDGET);
        assertThat(c.raw().get("default_upstream").asText()).isEqualTo("origin-a");
    }

    @Test
    void adminDefaultsToLoopbackWithoutToken() {
        GraftConfig c = ((ConfigResult.Valid) parse(VALID.replace(
                "\"admin\": {\"listen\": {\"host\": \"127.0.0.1\", \"port\": 9090}, \"token\": \"t0k\"},", ""))).config();
        assertThat(c.admin().listen()).isEqualTo(new Listener("127.0.0.1", 9090));
        assertThat(c.admin().token()).isEmpty();
    }

    @Test
    void listenPortZeroMeansAnyFreePort() {
        GraftConfig c = ((ConfigResult.Valid) parse(VALID.replace("\"port\": 8080", "\"port\": 0"))).config();
        assertThat(c.listen().port()).isZero();
    }

    @Test
    void aHostUsedByTwoCustomersNamesTheOther() {
        assertThat(errors(VALID.replace("\"hosts\": [\"beta.test\"]", "\"hosts\": [\"beta.test\", \"acme.test\"]")))
                .containsExactly("customers.beta.hosts[1]: \"acme.test\" (expected: a host name not used by another customer; used by \"acme\")");
    }

    @Test
    void reportsEveryErrorAtOnce() {
        String bad = VALID
                .replace("\"port\": 8080", "\"port\": 70000")
                .replace("\"default_upstream\": \"origin-a\"", "\"default_upstream\": \"origin-z\"")
                .replace("\"ratelimit\": \"10m\"", "\"ratelimit\": \"10x\"")
                .replace("\"weight\": 2", "\"weight\": 2, \"wieght\": 3")
                .replace("\"modules\": {\"waf\"", "\"modules\": {\"wafx\"");
        assertThat(errors(bad)).containsExactly(
                "listen.port: 70000 (expected: a port from 1 to 65535, or 0 for any free port)",
                "upstreams.origin-a.servers[0].wieght: 3 (expected: a known key: address, weight)",
                "default_upstream: \"origin-z\" (expected: the name of an upstream: origin-a, origin-b)",
                "shared_dicts.ratelimit: \"10x\" (expected: a size from 1 byte to 4g: bytes, or a number with k, m or g (\"512k\", \"10m\"))",
                "customers.acme.modules.wafx: {\"mode\":\"block\"} (expected: a module of the pipeline: normalize, waf, router)");
    }

    @Test
    void refusesUnknownAndMissingKeys() {
        assertThat(errors("{\"listen\": {\"host\": \"127.0.0.1\", \"port\": 8080}, \"pipline\": []}")).containsExactly(
                "pipline: [] (expected: a known key: " + String.join(", ", ConfigLoader.ROOT_KEYS) + ")",
                "upstreams: missing (expected: an object of upstreams by name)",
                "default_upstream: missing (expected: the name of an upstream)",
                "pipeline: missing (expected: a non-empty list of module names or {\"module\", \"reads_body\"})",
                "customers: missing (expected: an object of customers by name)");
    }

    @Test
    void aPipelineModuleNeedsItsHandlerFolder() {
        Path handler = dir.toAbsolutePath().normalize().resolve("cache").resolve("handler.lua");
        assertThat(errors(VALID.replace("\"router\"]", "\"router\", \"cache\", \"waf\"]"))).containsExactly(
                "pipeline[3]: \"cache\" (expected: a module folder with handler.lua; " + handler + " does not exist)",
                "pipeline[4]: \"waf\" (expected: a module not already in the pipeline (it is at pipeline[1]))");
    }

    @Test
    void theScriptsFolderNeedsPipelineLua() throws IOException {
        Files.delete(dir.resolve("pipeline.lua"));
        Path want = dir.toAbsolutePath().normalize().resolve("pipeline.lua");
        assertThat(errors(VALID)).containsExactly(
                "scripts: \".\" (expected: a folder with pipeline.lua; " + want + " does not exist)");
    }

    @Test
    void checksUpstreamAddressesAndTypes() {
        assertThat(errors(VALID
                .replace("\"127.0.0.1:8081\"", "\"127.0.0.1\"")
                .replace("\"connect_timeout_ms\": 500", "\"connect_timeout_ms\": \"500\"")
                .replace("{\"module\": \"waf\", \"reads_body\": true}", "{\"module\": \"waf\", \"reads_body\": \"yes\"}")))
                .containsExactly(
                        "upstreams.origin-a.servers[0].address: \"127.0.0.1\" (expected: \"host:port\" with a port from 1 to 65535)",
                        "upstreams.origin-a.connect_timeout_ms: \"500\" (expected: an integer from 1 to 3600000)",
                        "default_upstream: \"origin-a\" (expected: the name of an upstream: origin-b)",
                        "pipeline[1].reads_body: \"yes\" (expected: true or false)");
    }

    @Test
    void upstreamNamesInModuleSettingsMustExist() {
        String json = VALID.replace("\"beta\": {\"hosts\": [\"beta.test\"]}",
                "\"beta\": {\"hosts\": [\"beta.test\"], \"modules\": {\"router\": {\"default_upstream\": \"origin-z\", "
                        + "\"routes\": [{\"prefix\": \"/a\", \"upstream\": \"origin-b\"}, {\"prefix\": \"/b\", \"upstream\": 7}, {\"prefix\": \"/c\", \"upstream\": null}]}}}");
        assertThat(errors(json)).containsExactly(
                "customers.beta.modules.router.default_upstream: \"origin-z\" (expected: the name of an upstream: origin-a, origin-b)",
                "customers.beta.modules.router.routes[1].upstream: 7 (expected: the name of an upstream: origin-a, origin-b)");
    }

    @Test
    void hostNamesAreLowerCaseWithoutPort() {
        assertThat(errors(VALID.replace("\"www.acme.test\"", "\"WWW.acme.test:80\""))).containsExactly(
                "customers.acme.hosts[1]: \"WWW.acme.test:80\" (expected: a lower-case host name without a port)");
    }

    @Test
    void limitsAndBudgetAreRead() {
        String json = VALID.replace("\"scripts\": \".\",", "\"scripts\": \".\", \"limits\": {\"max_buffered_body\": \"2m\", "
                + "\"max_header_count\": 50}, \"lua\": {\"instruction_budget\": 5000},");
        GraftConfig c = ((ConfigResult.Valid) parse(json)).config();
        assertThat(c.limits().maxBufferedBodyBytes()).isEqualTo(2L << 20);
        assertThat(c.limits().maxHeaderCount()).isEqualTo(50);
        assertThat(c.limits().maxInitialLineBytes()).isEqualTo(8192);
        assertThat(c.luaInstructionBudget()).isEqualTo(5000);
    }

    @Test
    void syntaxErrorsNameLineAndColumn() {
        List<String> e = errors("{\n  \"listen\": ,\n}");
        assertThat(e).hasSize(1);
        assertThat(e.get(0)).startsWith("graft.json:2:13: ").endsWith("(expected: valid JSON)");
    }

    @Test
    void duplicateKeysAreRefused() {
        List<String> e = errors("{\"listen\": 1, \"listen\": 2}");
        assertThat(e.get(0)).startsWith("graft.json:1:").contains("Duplicate field 'listen'");
    }

    @Test
    void aMissingFileIsAnError() {
        ConfigResult r = ConfigLoader.load(dir.resolve("nope.json"));
        assertThat(((ConfigResult.Invalid) r).errors().get(0).message())
                .isEqualTo(dir.resolve("nope.json") + ": missing (expected: a readable JSON config file)");
    }

    @Test
    void loadResolvesScriptsAgainstTheFilesFolder() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(sub.resolve("graft.json"), VALID.replace("\"scripts\": \".\"", "\"scripts\": \"..\""));
        GraftConfig c = ((ConfigResult.Valid) ConfigLoader.load(sub.resolve("graft.json"))).config();
        assertThat(c.scripts()).isEqualTo(dir.toAbsolutePath().normalize());
    }
}
