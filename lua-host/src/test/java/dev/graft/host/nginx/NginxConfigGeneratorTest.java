package dev.graft.host.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.graft.host.nginx.NginxConfigGenerator.Layout;
import dev.graft.host.nginx.NginxConfigGenerator.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxConfigGeneratorTest {

    private static final JsonMapper JSON = new JsonMapper();

    private static final String CONFIG = """
            {
              "listen": {"host": "127.0.0.1", "port": 18080},
              "scripts": "scripts",
              "default_upstream": "origin-a",
              "pipeline": ["normalize", {"module": "waf", "reads_body": true}],
              "shared_dicts": {"ratelimit": "10m", "cache": 1048576},
              "upstreams": {
                "origin-a": {"servers": [{"address": "127.0.0.1:8081", "weight": 2},
                                         {"address": "127.0.0.1:8082"}],
                             "connect_timeout_ms": 1500, "read_timeout_ms": 20000},
                "bucket": {"servers": [{"address": "127.0.0.1:8083", "weight": 1}]}
              },
              "customers": {"acme": {"hosts": ["acme.test"], "modules": {}}}
            }
            """;

    @TempDir
    Path dir;

    private Layout layout() {
        return new Layout(dir.resolve("prefix"), dir.resolve("graft.json"), NginxConfigGenerator.DEBIAN_MODULES, false);
    }

    private static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }

    private String generated(String json) throws IOException {
        Result result = NginxConfigGenerator.of(layout()).generate(parse(json));
        assertThat(result).isInstanceOf(Result.Generated.class);
        return ((Result.Generated) result).conf();
    }

    @Test
    void writesModulesPackagePathAndSharedDicts() throws IOException {
        String conf = generated(CONFIG);
        Path scripts = dir.resolve("scripts").toAbsolutePath();
        assertThat(conf)
                .contains("load_module /usr/lib/nginx/modules/ndk_http_module.so;")
                .contains("load_module /usr/lib/nginx/modules/ngx_http_lua_module.so;")
                .contains("worker_processes 1;")
                .contains("lua_package_path \"" + scripts + "/?.lua;" + scripts + "/?/init.lua;;\";")
                .contains("lua_shared_dict ratelimit 10m;")
                .contains("lua_shared_dict cache 1048576;")
                .contains("error_log " + dir.resolve("prefix/logs/error.log").toAbsolutePath() + " info;")
                .doesNotContain("user root;");
    }

    @Test
    void initReadsTheConfigFileAndStartsTheDriver() throws IOException {
        String conf = generated(CONFIG);
        assertThat(conf)
                .contains("io.open(\"" + dir.resolve("graft.json").toAbsolutePath() + "\", \"r\")")
                .contains("cjson.decode(f:read(\"*a\"))")
                .contains("require(\"pipeline\").init(cfg)");
    }

    @Test
    void writesOneUpstreamBlockPerUpstreamWithKeepalive() throws IOException {
        String conf = generated(CONFIG);
        assertThat(conf)
                .contains("upstream origin-a {\n        server 127.0.0.1:8081 weight=2;\n"
                        + "        server 127.0.0.1:8082 weight=1;\n        keepalive 32;\n    }")
                .contains("upstream bucket {\n        server 127.0.0.1:8083 weight=1;\n        keepalive 32;\n    }");
    }

    @Test
    void serverRunsEveryPhaseAndProxiesToTheChosenUpstream() throws IOException {
        String conf = generated(CONFIG);
        assertThat(conf)
                .contains("listen 127.0.0.1:18080;")
                .contains("set $graft_upstream origin-a;")
                .contains("set $graft_content \"\";")
                .contains("rewrite_by_lua_block { require(\"pipeline\").run(\"rewrite\") }")
                .contains("require(\"pipeline\").run(\"access\")")
                .contains("require(\"pipeline\").run(\"content\")")
                .contains("header_filter_by_lua_block { require(\"pipeline\").run(\"header_filter\") }")
                .contains("body_filter_by_lua_block { require(\"pipeline\").run(\"body_filter\") }")
                .contains("log_by_lua_block { require(\"pipeline\").run(\"log\") }")
                .contains("proxy_pass http://$graft_upstream;")
                .contains("proxy_http_version 1.1;")
                .contains("proxy_set_header Connection \"\";")
                .contains("proxy_set_header Host $http_host;")
                .contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;")
                .contains("proxy_set_header X-Request-Id $request_id;")
                .contains("proxy_connect_timeout 1500ms;")
                .contains("proxy_read_timeout 20000ms;")
                .contains("client_max_body_size 1m;")
                .contains("lua_need_request_body off;");
    }

    @Test
    void userDirectiveOnlyWhenAsked() throws IOException {
        Layout asRoot = new Layout(dir.resolve("p"), dir.resolve("graft.json"), NginxConfigGenerator.DEBIAN_MODULES, true);
        Result result = NginxConfigGenerator.of(asRoot).generate(parse(CONFIG));
        assertThat(((Result.Generated) result).conf()).contains("user root;");
    }

    @Test
    void refusesAnUnknownDefaultUpstream() throws IOException {
        Result result = NginxConfigGenerator.of(layout())
                .generate(parse(CONFIG.replace("\"default_upstream\": \"origin-a\"", "\"default_upstream\": \"nope\"")));
        assertThat(result).isEqualTo(new Result.Refused(java.util.List.of(
                "default_upstream: \"nope\" (expected: one of [origin-a, bucket])")));
    }

    @Test
    void refusesValuesThatWouldBreakTheDirectiveSyntax() throws IOException {
        Result result = NginxConfigGenerator.of(layout()).generate(parse(CONFIG
                .replace("\"127.0.0.1:8083\"", "\"127.0.0.1:8083; include /etc/passwd\"")
                .replace("\"10m\"", "\"lots\"")));
        assertThat(result).isInstanceOf(Result.Refused.class);
        assertThat(((Result.Refused) result).errors()).containsExactlyInAnyOrder(
                "shared_dicts.ratelimit: \"lots\" (expected: a size like \"10m\" or a byte count)",
                "upstreams.bucket.servers[0].address: \"127.0.0.1:8083; include /etc/passwd\""
                        + " (expected: no blanks, quotes or ; { } $ #)");
    }

    @Test
    void refusesAMissingPortAndEmptyUpstreams() throws IOException {
        Result result = NginxConfigGenerator.of(layout()).generate(parse("{\"listen\": {}, \"upstreams\": {}}"));
        assertThat(((Result.Refused) result).errors()).containsExactly(
                "listen.port: missing (expected: a port 1-65535)",
                "upstreams: {} (expected: an object with at least one upstream)");
    }

    /** The strongest check there is: nginx itself accepts the file and runs the driver's init. */
    @Test
    void nginxAcceptsTheGeneratedFile() throws IOException, InterruptedException {
        assumeThat(Files.isExecutable(Path.of("/usr/sbin/nginx"))
                && Files.exists(NginxConfigGenerator.DEBIAN_MODULES.resolve("ngx_http_lua_module.so")))
                .as("nginx with lua-nginx-module installed").isTrue();
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(scripts.resolve("pipeline.lua"), """
                local M = {}
                function M.init(cfg) assert(cfg.upstreams["origin-a"], "config not passed") end
                function M.run(phase) end
                return M
                """);
        Files.writeString(dir.resolve("graft.json"), CONFIG);
        Path prefix = dir.resolve("prefix");
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("tmp"));
        Layout layout = new Layout(prefix, dir.resolve("graft.json"), NginxConfigGenerator.DEBIAN_MODULES,
                "root".equals(System.getProperty("user.name")));
        String conf = ((Result.Generated) NginxConfigGenerator.of(layout).generate(parse(CONFIG))).conf();
        Path confFile = Files.writeString(prefix.resolve("nginx.conf"), conf);
        Process nginx = new ProcessBuilder("nginx", "-t", "-p", prefix.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).start();
        String output = new String(nginx.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(nginx.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(nginx.exitValue()).as(output).isZero();
        assertThat(output).contains("test is successful");
    }
}
