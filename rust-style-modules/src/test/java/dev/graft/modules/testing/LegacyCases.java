package dev.graft.modules.testing;

import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageModule;
import dev.graft.bridge.shared.SharedDict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs legacy-scripts/&lt;module&gt;/cases/*.json against Java stages on a {@link FakeExchange}:
 * the case's settings bound with {@link RecordBinder}, each step's request through the access
 * phase of every given stage in pipeline order, then (for a proxied request) an echo origin's
 * answer, then every header_filter. Checks what the stages decide: status, the stages' response
 * headers, exit bodies, and the request the origin would get (path, headers, upstream).
 * A case that needs a module not given here is skipped; so is whatever only the bucket origin
 * or nginx itself decides (default pages, object store answers).
 */
public final class LegacyCases {

    /** Response headers a stage may set; others come from nginx or the origin and are not checked. */
    private static final Set<String> STAGE_HEADERS = Set.of("content-type", "www-authenticate",
            "access-control-allow-origin", "access-control-allow-credentials", "access-control-allow-methods",
            "access-control-allow-headers", "access-control-max-age", "access-control-expose-headers", "vary",
            "set-cookie", "retry-after", "cache-control",
            // redirects, cache, headers (the security headers and the names its cases set)
            "location", "x-cache-key", "x-edge-key", "strict-transport-security", "x-content-type-options",
            "x-frame-options", "content-security-policy", "referrer-policy", "x-powered-by", "x-empty", "x-a",
            "x-big", "x-origin-note", "x-served-by", "x-ok", "x-bad", "x-dup");

    /** Request headers nginx adds or rewrites on the way to the origin. */
    private static final Set<String> NGINX_HEADERS = Set.of("host", "x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-host", "x-request-id", "connection", "content-length");

    private LegacyCases() {}

    /** One dynamic test per case file of {@code module}; {@code stages} in pipeline order. */
    public static Stream<DynamicTest> of(String module, List<StageModule<?>> stages) {
        Path dir = scripts().resolve(module).resolve("cases");
        // the harness's shared dicts live for the whole run; counter keys name the case's customer
        SharedDict ratelimit = new SharedDict("ratelimit", 10L << 20, java.time.Clock.systemUTC());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream()
                    .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                            () -> run(module, p, stages, ratelimit)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path scripts() {
        for (String s : List.of("../legacy-scripts", "legacy-scripts", "/work/main/legacy-scripts")) {
            if (Files.isDirectory(Path.of(s))) {
                return Path.of(s);
            }
        }
        throw new IllegalStateException("legacy-scripts not found");
    }

    @SuppressWarnings("unchecked")
    private static void run(String module, Path file, List<StageModule<?>> stages, SharedDict ratelimit)
            throws IOException {
        Map<String, Object> kase = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        Map<String, Object> modules = (Map<String, Object>) kase.get("modules");
        for (String m : modules.keySet()) {
            if (stages.stream().noneMatch(s -> s.name().equals(m))) {
                org.junit.jupiter.api.Assumptions.abort("needs module " + m);
            }
        }
        List<StageModule<?>> active = stages.stream().filter(s -> modules.containsKey(s.name())).toList();
        List<Object> configs = new ArrayList<>();
        for (StageModule<?> s : active) {
            configs.add(RecordBinder.bind(modules.get(s.name()), s.configType()));
        }
        String stem = file.getFileName().toString().replace(".json", "");
        String id = module + "-" + stem;
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (Object o : (List<Object>) kase.get("steps")) {
            n++;
            Map<String, Object> step = (Map<String, Object>) o;
            step(id, n, active, configs, ratelimit, (Map<String, Object>) step.get("request"),
                    (Map<String, Object>) step.get("expect"), failures);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(kase.get("name") + "\n  " + String.join("\n  ", failures));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void step(String id, int n, List<StageModule<?>> stages, List<Object> configs, SharedDict ratelimit,
            Map<String, Object> request, Map<String, Object> expect, List<String> failures) {
        String method = (String) request.getOrDefault("method", "GET");
        String path = (String) request.get("path");
        int q = path.indexOf('?');
        FakeExchange x = FakeExchange.get(path).method(method)
                .uri(percentDecode(q < 0 ? path : path.substring(0, q)))
                .customer(id)
                .clock(java.time.Clock.systemUTC())
                .sharedDict("ratelimit", ratelimit);
        boolean host = false;
        for (Object h : (List<Object>) request.getOrDefault("headers", List.of())) {
            List<Object> pair = (List<Object>) h;
            String name = (String) pair.get(0);
            if (name.equalsIgnoreCase("host")) {
                host = true;
                x.host(hostOf((String) pair.get(1)));
            }
            if (name.indexOf('_') >= 0) {
                continue; // nginx ignores header names with an underscore (underscores_in_headers off)
            }
            // nginx's parser drops blanks around a value
            x.requestHeader(name, latin1((String) pair.get(1)).strip());
        }
        if (x.request().headers().all("authorization").size() > 1) {
            return; // nginx answers 400 itself before any module runs
        }
        if (!host) {
            x.requestHeader("Host", id.toLowerCase(Locale.ROOT) + ".test");
            x.host(id.toLowerCase(Locale.ROOT) + ".test");
        }
        List<String> lengths = x.request().headers().all("content-length");
        if (!lengths.isEmpty() && (x.request().headers().contains("transfer-encoding")
                || !lengths.stream().allMatch(v -> !v.isEmpty() && v.chars().allMatch(Character::isDigit)))) {
            return; // nginx answers 400 itself: a length with chunked framing, or a length that is no number
        }
        if (request.get("body") instanceof String text) {
            // the case client adds Content-Length to a body; the host buffers the decoded body
            byte[] wire = text.getBytes(StandardCharsets.UTF_8);
            boolean chunked = x.request().headers().contains("transfer-encoding");
            if (!chunked && !x.request().headers().contains("content-length")) {
                x.requestHeader("Content-Length", Integer.toString(wire.length));
            }
            x.body(chunked ? dechunk(wire) : wire);
        }
        String rawUri = x.request().uri();

        Outcome.Exit exit = null;
        for (int i = 0; i < stages.size() && exit == null; i++) {
            StageModule s = stages.get(i);
            if (s.phases().contains(Phase.ACCESS)) {
                Outcome out = s.access(x, configs.get(i));
                if (out instanceof Outcome.Exit e) {
                    exit = e;
                } else if (out instanceof Outcome.Fallback f) {
                    failures.add("step " + n + ": fallback " + f.reason());
                    return;
                }
            }
        }
        String where = "step " + n + " (" + method + " " + request.get("path") + "): ";
        boolean bucket = exit == null && x.upstream().equals("bucket");
        if (exit != null) {
            x.status(exit.status());
            exit.headers().forEach(e -> x.responseHeader(e.getKey(), e.getValue()));
        } else {
            x.status(200);
            if (!bucket) {
                x.responseHeader("Content-Type", "application/json");
            }
        }
        for (int i = 0; i < stages.size(); i++) {
            StageModule s = stages.get(i);
            if (s.phases().contains(Phase.HEADER_FILTER)) {
                s.headerFilter(x, configs.get(i));
            }
        }

        if (expect.containsKey("status") && !bucket) {
            long want = (Long) expect.get("status");
            if (want != x.response().status()) {
                failures.add(where + "status " + x.response().status() + ", expected " + want);
            }
        }
        if (bucket) {
            // the object store answers; only what the stages did to the request is checked
            Object wantPath = expect.get("bucket_path");
            if (wantPath != null && !wantPath.equals(target(x, rawUri))) {
                failures.add(where + "bucket path " + target(x, rawUri) + ", expected " + wantPath);
            }
        }
        Map<String, Object> headers = (Map<String, Object>) expect.getOrDefault("headers", Map.of());
        boolean proxied = exit == null;
        headers.forEach((name, want) -> {
            String lc = name.toLowerCase(Locale.ROOT);
            if (!STAGE_HEADERS.contains(lc) || bucket) {
                return;
            }
            if (lc.equals("content-type") && proxied) {
                return; // the origin's
            }
            List<String> got = x.response().headers().all(name);
            String problem = compare(got, want, ", ");
            if (problem != null) {
                failures.add(where + "response header " + name + ": " + problem);
            }
        });
        if (exit != null && exit.body().isPresent()) {
            // the server sends no body in answer to HEAD, whatever the stage said
            String got = method.equals("HEAD") ? "" : new String(exit.body().get(), StandardCharsets.ISO_8859_1);
            if (expect.containsKey("body") && !latin1((String) expect.get("body")).equals(got)) {
                failures.add(where + "body " + quote(got) + ", expected " + quote((String) expect.get("body")));
            }
            for (Object part : (List<Object>) expect.getOrDefault("body_contains", List.of())) {
                if (!got.contains(latin1((String) part))) {
                    failures.add(where + "body " + quote(got) + " lacks " + quote((String) part));
                }
            }
        }
        Map<String, Object> origin = (Map<String, Object>) expect.get("origin");
        if (origin != null) {
            if (exit != null) {
                failures.add(where + "answered " + exit.status() + " by a stage, expected the origin");
                return;
            }
            if (origin.containsKey("path") && !latin1((String) origin.get("path")).equals(target(x, rawUri))) {
                failures.add(where + "origin path " + target(x, rawUri) + ", expected " + origin.get("path"));
            }
            if (origin.containsKey("method") && !origin.get("method").equals(x.request().method())) {
                failures.add(where + "origin method " + x.request().method());
            }
            if (origin.containsKey("server") && !origin.get("server").equals(x.upstream())) {
                failures.add(where + "upstream " + x.upstream() + ", expected " + origin.get("server"));
            }
            Map<String, Object> oh = (Map<String, Object>) origin.getOrDefault("headers", Map.of());
            oh.forEach((name, want) -> {
                if (NGINX_HEADERS.contains(name)) {
                    return;
                }
                String problem = compare(x.request().headers().all(name), want, null);
                if (problem != null) {
                    failures.add(where + "origin header " + name + ": " + problem);
                }
            });
        }
    }

    /** The payload of a chunked body (sizes in hex, extensions ignored, trailers dropped). */
    private static byte[] dechunk(byte[] wire) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        String s = new String(wire, StandardCharsets.ISO_8859_1);
        int i = 0;
        while (i < s.length()) {
            int eol = s.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            String size = s.substring(i, eol);
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
            if (n == 0) {
                break;
            }
            out.write(wire, eol + 2, n);
            i = eol + 2 + n + 2;
        }
        return out.toByteArray();
    }

    /** The request target the origin gets: the raw path unless a stage changed the URI (then escaped). */
    private static String target(FakeExchange x, String rawUri) {
        String path;
        if (!x.uriSet()) {
            String raw = x.request().requestUri();
            int q = raw.indexOf('?');
            path = q < 0 ? raw : raw.substring(0, q);
        } else {
            path = escape(x.request().uri());
        }
        return path + x.request().args().map(a -> "?" + a).orElse("");
    }

    private static String hostOf(String h) {
        h = h.toLowerCase(Locale.ROOT);
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** %XX decoding byte-per-char ($uri); a malformed escape stays. */
    static String percentDecode(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String escape(String uri) {
        StringBuilder b = new StringBuilder();
        for (char c : uri.toCharArray()) {
            if (c <= 0x20 || c >= 0x7f || c == '#' || c == '%' || c == '?' || c == '"') {
                b.append('%').append(String.format("%02X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static String compare(List<String> got, Object want, String join) {
        if (want == null) {
            return got.isEmpty() ? null : "present " + got + ", expected absent";
        }
        if (want instanceof List<?> l) {
            List<String> w = ((List<Object>) l).stream().map(o -> latin1(String.valueOf(o))).toList();
            return got.equals(w) ? null : got + ", expected " + w;
        }
        String w = latin1(String.valueOf(want));
        if (got.isEmpty()) {
            return "absent, expected " + quote(w);
        }
        String g = join == null ? (got.size() == 1 ? got.get(0) : got.toString()) : String.join(join, got);
        return g.equals(w) ? null : quote(g) + ", expected " + quote(w);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }

    /** The UTF-8 bytes of a JSON string, one char per byte, as they travel on the wire. */
    static String latin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
