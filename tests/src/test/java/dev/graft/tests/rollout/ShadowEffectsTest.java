package dev.graft.tests.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.graft.bridge.shared.DictItem;
import dev.graft.bridge.shared.DictResult;
import dev.graft.bridge.shared.SharedDict;
import dev.graft.bridge.shared.SharedValue;
import dev.graft.host.GraftServer;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.demo.DemoOrigin;
import dev.graft.host.rollout.ShadowLab;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * Issue 7: a shadow's effects are never applied, in both directions. The ratelimit module (its
 * stage writes a counter per request to {@code ngx.shared.ratelimit} and logs each refusal)
 * serves N requests from each of two clients in shadow mode, sampled at 1; the same requests go
 * to a second server where the serving side runs alone (the module in that mode without a
 * shadow). Both must end with the same live dict (every key, value and flags), give the clients
 * the same answers (status and rate-limit headers), and write the same log records: the shadow
 * writes nothing to the live dict, answers nothing, and logs nothing of its own (no record
 * from the shadow thread). The clock is fixed, so both servers count in the same window.
 *
 * <p>And the shadow compares equal on every request, past the limit too: it reads the counter
 * as the serving stage read it (the write journal's image from before the stage), not with the
 * serving stage's increment in it. Before the journal, each client's last allowed request was a
 * mismatch (the shadow saw the counter one ahead and refused). A planted difference in what the
 * two sides write to the dict (a Lua variant that takes a refused request back off the counter)
 * shows as a mismatch on {@code shared.ratelimit.<key>} and nothing else.
 *
 * <p>Three paths: Java serving on the native path (every module of the customer is Java), Java
 * serving on the Lua driver's path (the headers module stays Lua), and Lua serving with the
 * Java shadow.
 */
class ShadowEffectsTest {

    private static final int REQUESTS = 7;
    private static final int LIMIT = 3;
    private static final List<String> CLIENTS = List.of("127.0.0.1", "127.0.0.2");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-28T10:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "java serves, native path | java | {\"mode\": \"shadow\", \"serve\": \"java\", \"sample\": 1.0, \"max_cpu_share\": 1.0} | java",
            "java serves, driver path | lua  | {\"mode\": \"shadow\", \"serve\": \"java\", \"sample\": 1.0, \"max_cpu_share\": 1.0} | java",
            "lua serves               | lua  | {\"mode\": \"shadow\", \"serve\": \"lua\", \"sample\": 1.0, \"max_cpu_share\": 1.0}  | lua"})
    void aShadowWritesAnswersAndLogsNothingOfItsOwn(String name, String headers, String shadow, String alone)
            throws Exception {
        try (DemoOrigin origin = DemoOrigin.startEcho("origin", "127.0.0.1", 0)) {
            Observed shadowed = run(config(origin.port(), headers, shadow, scripts()), true);
            Observed served = run(config(origin.port(), headers, "{\"mode\": \"" + alone + "\"}", scripts()), false);

            assertThat(shadowed.shadowRuns()).as("the shadow ran on every request's access")
                    .isGreaterThanOrEqualTo((long) REQUESTS * CLIENTS.size());
            assertThat(shadowed.mismatches()).as("shadow mismatches, past the limit too").isEmpty();
            assertThat(shadowed.answers()).as("what the clients got").isEqualTo(served.answers());
            assertThat(shadowed.answers().stream().filter(a -> a.matches("\\S+ 429.*")))
                    .hasSize((REQUESTS - LIMIT) * CLIENTS.size());
            assertThat(shadowed.dict()).as("the live ratelimit dict").isEqualTo(served.dict())
                    .hasSize(CLIENTS.size());
            assertThat(shadowed.dict().values()).allMatch(v -> v.startsWith(REQUESTS + " "));
            assertThat(shadowed.shadowThreadLogs()).as("log records written on the shadow thread").isEmpty();
            assertThat(shadowed.stageLogs()).as("the stage's log records").isEqualTo(served.stageLogs())
                    .hasSize((REQUESTS - LIMIT) * CLIENTS.size());
        }
    }

    /**
     * The planted difference: the Lua side is a variant of the legacy handler that takes a
     * refused request back off the counter (the port counts it, as the legacy handler does).
     * Both sides answer and publish the same (over the limit either way), so the only
     * difference is the dict write, one per refused request, on the client's counter.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "java serves, native path | java | {\"mode\": \"shadow\", \"serve\": \"java\", \"sample\": 1.0, \"max_cpu_share\": 1.0}",
            "java serves, driver path | lua  | {\"mode\": \"shadow\", \"serve\": \"java\", \"sample\": 1.0, \"max_cpu_share\": 1.0}",
            "lua serves               | lua  | {\"mode\": \"shadow\", \"serve\": \"lua\", \"sample\": 1.0, \"max_cpu_share\": 1.0}"})
    void aDifferentDictWriteIsAMismatchOnItsSharedPath(String name, String headers, String shadow,
            @TempDir Path dir) throws Exception {
        Path scripts = Path.of("../legacy-scripts").toAbsolutePath().normalize();
        Files.copy(scripts.resolve("pipeline.lua"), dir.resolve("pipeline.lua"));
        for (String module : List.of("headers", "ratelimit")) {
            Files.createDirectories(dir.resolve(module));
            Files.copy(scripts.resolve(module).resolve("handler.lua"), dir.resolve(module).resolve("handler.lua"));
        }
        Path handler = dir.resolve("ratelimit/handler.lua");
        String incr = "local n, err = dict:incr(cur_key, 1, 0, window)";
        String lua = Files.readString(handler);
        assertThat(lua).contains(incr);
        Files.writeString(handler, lua.replace(incr,
                incr + "\n        if n and n > rule.limit then dict:incr(cur_key, -1) end"));

        try (DemoOrigin origin = DemoOrigin.startEcho("origin", "127.0.0.1", 0)) {
            Observed shadowed = run(config(origin.port(), headers, shadow, dir), true);

            assertThat(shadowed.answers().stream().filter(a -> a.matches("\\S+ 429.*")))
                    .hasSize((REQUESTS - LIMIT) * CLIENTS.size());
            assertThat(shadowed.mismatches()).as("one mismatch per refused request")
                    .hasSize((REQUESTS - LIMIT) * CLIENTS.size())
                    .allSatisfy(m -> assertThat(m.diffs()).singleElement().satisfies(d -> {
                        assertThat(d.path()).matches("shared\\.ratelimit\\.shop:api:c=127\\.0\\.0\\.[12]:\\d+");
                        // the variant left the counter as it was: no write on the Lua side
                        assertThat(d.lua()).isEqualTo(ShadowLab.Diff.ABSENT);
                        assertThat(d.java()).matches("\\d+ flags=0 expires");
                    }));
            assertThat(shadowed.metrics()).contains("graft_shadow_mismatches_total{module=\"ratelimit\","
                    + "path=\"shared.ratelimit.shop:api:c=127.0.0.1:");
        }
    }

    /** What one server did with the requests. */
    private record Observed(List<String> answers, Map<String, String> dict, List<String> stageLogs,
                            List<String> shadowThreadLogs, long shadowRuns, List<ShadowLab.ShadowMismatch> mismatches,
                            String metrics) {}

    private static Path scripts() {
        return Path.of("../legacy-scripts").toAbsolutePath().normalize();
    }

    private static Observed run(GraftConfig config, boolean shadowed) throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger stage = context.getLogger("graft.lua");
        Level level = stage.getLevel();
        ListAppender<ILoggingEvent> records = new ListAppender<>();
        records.setContext(context);
        records.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(records);
        boolean ownAppender = !stage.isAdditive(); // else root's appender sees its records already
        if (ownAppender) {
            stage.addAppender(records);
        }
        stage.setLevel(Level.INFO); // the refusals are logged at INFO
        try (GraftServer server = GraftServer.start(config, GraftServer.Options.ephemeral().withClock(CLOCK))) {
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                for (String client : CLIENTS) {
                    answers.add(client + " " + get(client, server.proxyPort(), "/api/items?i=" + i));
                }
            }
            server.rollout().live().shadow().drain();
            Map<String, String> dict = new TreeMap<>();
            SharedDict d = server.sharedDicts().get("ratelimit").orElseThrow();
            for (byte[] key : d.keys(0)) {
                if (d.get(key) instanceof DictResult.Ok<Optional<DictItem>> ok && ok.value().isPresent()) {
                    String v = switch (ok.value().get().value()) {
                        case SharedValue.Num n -> Long.toString((long) n.value());
                        case SharedValue.Text t -> new String(t.bytes(), StandardCharsets.ISO_8859_1);
                        case SharedValue.Bool b -> Boolean.toString(b.value());
                    };
                    dict.put(new String(key, StandardCharsets.ISO_8859_1), v + " flags=" + ok.value().get().flags());
                }
            }
            long shadowRuns = server.rollout().live().stats("ratelimit").totals().shadowRuns();
            List<String> stageLogs = new ArrayList<>();
            List<String> shadowThread = new ArrayList<>();
            for (ILoggingEvent e : List.copyOf(records.list)) {
                if (e.getThreadName().startsWith("graft-shadow")) {
                    shadowThread.add(e.getLoggerName() + " " + e.getFormattedMessage());
                }
                if (e.getLoggerName().equals("graft.lua") && e.getFormattedMessage().contains("ratelimit:")) {
                    // drop "[request id] ": the ids differ between the two servers
                    String m = e.getFormattedMessage();
                    stageLogs.add(e.getLevel() + " " + m.substring(m.indexOf("] ") + 2));
                }
            }
            assertThat(shadowRuns > 0).isEqualTo(shadowed);
            List<ShadowLab.ShadowMismatch> mismatches = server.rollout().live().shadow().mismatches().stream()
                    .filter(m -> m.module().equals("ratelimit")).toList();
            return new Observed(answers, dict, stageLogs, shadowThread, shadowRuns, mismatches,
                    server.metrics().scrape());
        } finally {
            root.detachAppender(records);
            stage.detachAppender(records);
            stage.setLevel(level);
        }
    }

    private static GraftConfig config(int originPort, String headersMode, String ratelimitMode, Path scripts) {
        String json = """
                {"listen": {"host": "127.0.0.1", "port": 0},
                 "admin": {"listen": {"host": "127.0.0.1", "port": 0}, "token": "t"},
                 "scripts": "%s",
                 "default_upstream": "origin",
                 "pipeline": ["headers", "ratelimit"],
                 "shared_dicts": {"ratelimit": "1m"},
                 "upstreams": {"origin": {"servers": [{"address": "127.0.0.1:%d"}]}},
                 "customers": {"shop": {"hosts": ["shop.test"], "modules": {
                     "headers": {"nosniff": true},
                     "ratelimit": {"rules": [{"name": "api", "key": "client", "limit": %d, "window": 3600,
                                              "match_prefix": "/api"}]}}}},
                 "rollout": {"headers": {"mode": "%s"}, "ratelimit": %s}}
                """.formatted(scripts, originPort, LIMIT, headersMode, ratelimitMode);
        ConfigResult r = ConfigLoader.parse(json, scripts, "test");
        assertThat(r).as(r.toString()).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid) r).config();
    }

    /** The status and the rate-limit headers of one request on a fresh connection from {@code client}. */
    private static String get(String client, int port, String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(client), 0)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            String[] lines = response.substring(0, response.indexOf("\r\n\r\n")).split("\r\n");
            StringBuilder out = new StringBuilder(lines[0].substring(9, 12));
            for (int i = 1; i < lines.length; i++) {
                String lower = lines[i].toLowerCase(Locale.ROOT);
                if (lower.startsWith("ratelimit-") || lower.startsWith("retry-after")
                        || lower.startsWith("x-content-type-options")) {
                    out.append(' ').append(lower.trim());
                }
            }
            return out.toString();
        }
    }
}
