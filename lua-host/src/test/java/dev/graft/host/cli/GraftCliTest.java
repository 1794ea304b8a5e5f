package dev.graft.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraftCliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return GraftCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @BeforeEach
    void scripts() throws IOException {
        Files.writeString(dir.resolve("pipeline.lua"), "local M = {} function M.init(c) M.c = c end function M.config() return M.c end "
                + "function M.run() end return M");
        Files.createDirectories(dir.resolve("router"));
        Files.writeString(dir.resolve("router/handler.lua"), "return {}");
    }

    private Path config(String json) throws IOException {
        return Files.writeString(dir.resolve("graft.json"), json);
    }

    private static final String VALID = """
            {"listen": {"host": "127.0.0.1", "port": 0}, "admin": {"listen": {"host": "127.0.0.1", "port": 0}},
             "default_upstream": "a", "pipeline": ["router"],
             "upstreams": {"a": {"servers": [{"address": "127.0.0.1:9"}]}},
             "customers": {"acme": {"hosts": ["acme.test"], "modules": {"router": {}}}}}
            """;

    @Test
    void checkConfigPrintsOkAndASummary() throws IOException {
        Path file = config(VALID);
        assertThat(run("check-config", file.toString())).isZero();
        assertThat(out.toString()).isEqualTo("OK " + file + ": listen 127.0.0.1:0, admin 127.0.0.1:0, 1 stages, "
                + "1 upstreams, 1 customers (1 hosts), scripts " + dir.toAbsolutePath().normalize() + "\n");
    }

    @Test
    void checkConfigLoadsTheLuaPipeline() throws IOException {
        Path file = config(VALID);
        Files.writeString(dir.resolve("pipeline.lua"), "local M = {} function M.init() error('no init for you') end "
                + "function M.run() end return M");
        assertThat(run("check-config", file.toString())).isEqualTo(1);
        assertThat(out.toString()).startsWith("graft: " + file + ": the Lua pipeline does not load\n  pipeline: init failed: ")
                .contains("no init for you");
        out.getBuffer().setLength(0);
        assertThat(run("check-config", "--skip-lua", file.toString())).isZero();
        assertThat(out.toString()).startsWith("OK ");
    }

    @Test
    void checkConfigPrintsEachErrorAndExits1() throws IOException {
        Path file = config(VALID.replace("\"port\": 0}, \"admin\"", "\"port\": -1}, \"admin\"").replace("[\"router\"]", "[\"rooter\"]"));
        assertThat(run("check-config", file.toString())).isEqualTo(1);
        assertThat(out.toString()).startsWith("graft: " + file + ": 3 errors\n"
                + "  listen.port: -1 (expected: a port from 1 to 65535, or 0 for any free port)\n"
                + "  pipeline[0]: \"rooter\" (expected: a module folder with handler.lua; ")
                .endsWith("  customers.acme.modules.router: {} (expected: a module of the pipeline: rooter)\n");
    }

    @Test
    void serveWithAnInvalidConfigPrintsTheErrorsWithoutAStackTrace() throws IOException {
        Path file = config("{\"listen\": 1}");
        assertThat(run("serve", "--config", file.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("graft: " + file + ": 5 errors\n  listen: 1 (expected: an object with host and port)\n")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void serveWithAMissingFileSaysSo() {
        Path file = dir.resolve("missing.json");
        assertThat(run("serve", "--config", file.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("graft: " + file + ": 1 error\n  " + file
                + ": missing (expected: a readable JSON config file)\n");
    }

    @Test
    void badListenIsAUsageError() throws IOException {
        assertThat(run("serve", "--config", config(VALID).toString(), "--listen", "nohost")).isEqualTo(2);
        assertThat(err.toString()).contains("'nohost' (expected: host:port");
    }

    @Test
    void everyCommandHasHelpAndThereIsAVersion() {
        for (String command : new String[] {"serve", "check-config", "demo"}) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).startsWith("Usage: graft " + command);
        }
        out.getBuffer().setLength(0);
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("graft ");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing command: serve, check-config or demo");
    }
}
