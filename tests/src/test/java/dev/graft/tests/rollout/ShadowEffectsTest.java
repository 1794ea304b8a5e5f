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
import java.io.IOException;
import java.net.Socket;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * Issue 7: a shadow's effects are never applied, in both directions. The ratelimit module (its
 * stage writes a counter per request to {@code ngx.shared.ratelimit} and logs each refusal)
 * serves N requests from one client in shadow mode, sampled at 1; the same requests go to a
 * second server where the serving side runs alone (the module in that mode without a shadow).
 * Both must end with the same live dict (every key, value and flags), give the clients the
 * same answers (status and rate-limit headers), and write the same log records: the shadow
 * writes nothing to the live dict, answers nothing, and logs nothing of its own (no record
 * from the shadow thread). The clock is fixed, so both servers count in the same window.
 *
 * <p>Three paths: Java serving on the native path (every module of the customer is Java), Java
 * serving on the Lua driver's path (the headers module stays Lua), and Lua serving with the
 * Java shadow.
 */
class ShadowEffectsTest {

    private static final int REQUESTS = 7;
    private static final int LIMIT = 3;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-28T10:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "java serves, native path | java | {\"mode\": \"shadow\", \"serve\": \"java\", \"sample\": 1.0, \"max_cpu_share\": 1.0} | java",
            "java serves, driver path | lua  | {\"mode\": \"shadow\", \"serve\": \"java\", \"sample\": 1.0, \"max_cpu_share\": 1.0} | java",
            "lua serves               | lua  | {\"mode\": \"shadow\", \"serve\": \"lua\", \"sample\": 1.0, \"max_cpu_share\": 1.0}  | lua"})
    void aShadowWritesAnswersAndLogsNothingOfItsOwn(String name, String headers, String shadow, String alone)
            throws Exception {
        try (DemoOrigin origin = DemoOrigin.startEcho("origin", "127.0.0.1", 0)) {
            Observed shadowed = run(config(origin.port(), headers, shadow), true);
            Observed served = run(config(origin.port(), headers, "{\"mode\": \"" + alone + "\"}"), false);

            assertThat(shadowed.shadowRuns()).as("the shadow ran").isPositive();
            assertThat(shadowed.answers()).as("what the clients got").isEqualTo(served.answers());
            assertThat(shadowed.answers().stream().filter(a -> a.startsWith("429"))).hasSize(REQUESTS - LIMIT);
            assertThat(shadowed.dict()).as("the live ratelimit dict").isEqualTo(served.dict()).isNotEmpty();
            assertThat(shadowed.dict().values()).allMatch(v -> v.startsWith(REQUESTS + " "));
            assertThat(shadowed.shadowThreadLogs()).as("log records written on the shadow thread").isEmpty();
            assertThat(shadowed.stageLogs()).as("the stage's log records").isEqualTo(served.stageLogs())
                    .hasSize(REQUESTS - LIMIT);
        }
    }

    /** What one server did with the requests. */
    private record Observed(List<String> answers, Map<String, String> dict, List<String> stageLogs,
                            List<String> shadowThreadLogs, long shadowRuns) {}

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
                answers.add(get(server.proxyPort(), "/api/items?i=" + i));
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
            return new Observed(answers, dict, stageLogs, shadowThread, shadowRuns);
        } finally {
            root.detachAppender(records);
            stage.detachAppender(records);
            stage.setLevel(level);
        }
    }

    private static GraftConfig config(int originPort, String headersMode, String ratelimitMode) {
        Path scripts = Path.of("../legacy-scripts").toAbsolutePath().normalize();
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

    /** The status and the rate-limit headers of one request on a fresh connection. */
    private static String get(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
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
