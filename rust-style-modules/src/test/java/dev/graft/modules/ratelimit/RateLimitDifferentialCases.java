package dev.graft.modules.ratelimit;

import dev.graft.bridge.Outcome;
import dev.graft.bridge.shared.SharedDict;
import dev.graft.modules.testing.FakeExchange;
import dev.graft.modules.testing.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes generated ratelimit cases whose expectations are the Java stage's answers (status,
 * RateLimit-Limit / -Remaining, refusal body), for a differential check against the Lua module
 * on OpenResty with /work/devtools/ngx-cases.py (see WafDifferentialCases). Counters start
 * empty (each case is its own customer), so sliding windows have no previous count and the
 * answers do not depend on where in the hour the run falls.
 */
class RateLimitDifferentialCases {

    private final Random random = new Random(Long.getLong("graft.ratelimit.diffseed", 42L));

    private static Map<String, Object> rule(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> settings(int n) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> rules = new ArrayList<>();
        switch (n) {
            case 1 -> {
                rules.add(rule("name", "c", "limit", 20, "window", 3600));
                rules.add(rule("name", "api", "key", "path_prefix", "match_prefix", "/api", "limit", 7, "window", 3600));
            }
            case 2 -> {
                rules.add(rule("name", "k", "key", "header:X-Key", "limit", 3, "window", 3600, "algorithm", "sliding"));
                rules.add(rule("name", "seg", "key", "path_prefix", "limit", 9, "window", 7200));
                m.put("headers", false);
            }
            case 3 -> {
                rules.add(rule("key", "header:x-key", "limit", 8, "window", 3600));
                rules.add(rule("limit", 0, "window", 3600));
                rules.add(rule("name", "docs", "match_prefix", "/docs", "limit", 4, "window", 3600,
                        "algorithm", "sliding"));
                m.put("status", 503);
                m.put("message", "slow down");
            }
            default -> {
                rules.add(rule("name", "s", "limit", 25, "window", 3600, "algorithm", "sliding"));
                rules.add(rule("name", "f", "key", "header:X-Key", "match_prefix", "/api/", "limit", 4,
                        "window", 3600));
                m.put("status", 200);
            }
        }
        m.put("rules", rules);
        return m;
    }

    @Test
    @EnabledIfSystemProperty(named = "graft.ratelimit.diffcases", matches = ".+")
    void writeCases() throws IOException {
        Path dir = Path.of(System.getProperty("graft.ratelimit.diffcases"));
        Files.createDirectories(dir);
        for (int file = 1; file <= 4; file++) {
            Map<String, Object> s = settings(file);
            RateLimitConfig config = RateLimitConfig.of(s.get("rules"), s.get("status"), s.get("message"),
                    s.get("headers"));
            SharedDict dict = new SharedDict("ratelimit", 1 << 20, Clock.systemUTC());
            StringBuilder steps = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                steps.append(i > 0 ? ",\n" : "").append(step(config, dict));
            }
            Files.writeString(dir.resolve(String.format("%03d-generated.json", 900 + file)),
                    "{\"name\": \"generated differential set " + file + "\",\n\"modules\": {\"ratelimit\": "
                            + Json.write(s, RateLimitDifferentialCases::str) + "},\n\"steps\": [\n" + steps + "\n]}\n");
        }
    }

    private String step(RateLimitConfig config, SharedDict dict) {
        String method = random.nextInt(4) == 0 ? "HEAD" : "GET";
        String path = new String[] {"/", "/api", "/api/a", "/apix", "/API/a", "/docs/x", "/docs", "/d%C3%A9j%C3%A0",
            "/api/%7E"}[random.nextInt(9)];
        List<String[]> headers = new ArrayList<>();
        int k = random.nextInt(6);
        if (k < 4) {
            String v = new String[] {"alpha", "Alpha", "", "k".repeat(70)}[k];
            headers.add(new String[] {random.nextBoolean() ? "X-Key" : "x-key", v});
        }
        FakeExchange x = FakeExchange.get(path).method(method).uri(decode(path)).clock(Clock.systemUTC())
                .sharedDict("ratelimit", dict);
        for (String[] h : headers) {
            x.requestHeader(h[0], h[1]);
        }
        RateLimitStage stage = new RateLimitStage();
        Outcome o = stage.access(x, config);
        String body = null;
        if (o instanceof Outcome.Exit e) {
            x.status(e.status());
            e.headers().forEach(h -> x.responseHeader(h.getKey(), h.getValue()));
            body = method.equals("HEAD") ? "" : new String(e.body().orElseThrow(), StandardCharsets.UTF_8);
        } else {
            x.status(200);
        }
        stage.headerFilter(x, config);
        String limit = x.response().headers().first("RateLimit-Limit").map(RateLimitDifferentialCases::str)
                .orElse("null");
        String remaining = x.response().headers().first("RateLimit-Remaining").map(RateLimitDifferentialCases::str)
                .orElse("null");
        StringBuilder hs = new StringBuilder();
        for (String[] h : headers) {
            hs.append(hs.length() == 0 ? "" : ", ").append("[").append(str(h[0])).append(", ").append(str(h[1]))
                    .append("]");
        }
        return "{\"request\": {\"method\": " + str(method) + ", \"path\": " + str(path) + ", \"headers\": [" + hs
                + "]},\n \"expect\": {\"status\": " + x.response().status() + ", \"headers\": {\"RateLimit-Limit\": "
                + limit + ", \"RateLimit-Remaining\": " + remaining + "}" + (body == null ? "" : ", \"body\": " + str(body))
                + "}}";
    }

    private static String decode(String p) {
        byte[] out = new byte[p.length()];
        int n = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '%' && i + 2 < p.length()) {
                out[n++] = (byte) Integer.parseInt(p.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    private static String str(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
