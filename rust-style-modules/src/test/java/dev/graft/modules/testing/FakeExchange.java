package dev.graft.modules.testing;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.CtxKey;
import dev.graft.bridge.HeaderFields;
import dev.graft.bridge.RequestView;
import dev.graft.bridge.ResponseView;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.shared.SharedDict;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * A {@link StageExchange} for phase-level tests: plain in-memory request, response, context,
 * variables and log, filled with a builder-style API and inspected after the phase ran.
 * Strings are byte-per-char (ISO-8859-1), as the host hands them to stages.
 */
public final class FakeExchange implements StageExchange {

    /** One {@link #log} call. */
    public record LogLine(LogLevel level, String message) {}

    private String requestId = "0123456789abcdef0123456789abcdef";
    private String customer = "acme";
    private String remoteAddress = "127.0.0.1";
    private final FakeRequest request = new FakeRequest();
    private final FakeResponse response = new FakeResponse();
    private String upstream = "origin-a";
    private final Map<String, String> variables = new HashMap<>();
    private final Map<String, Object> ctx = new LinkedHashMap<>();
    private final Map<String, SharedDict> shared = new HashMap<>();
    private Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final RandomGenerator random = new Random(42);
    private final List<LogLine> log = new ArrayList<>();

    /** A GET of {@code target} (path and optional query) for host {@code acme.test}. */
    public static FakeExchange get(String target) {
        return new FakeExchange().target(target);
    }

    /** Sets $request_uri, $uri (the path, decoded only if the test passes it decoded) and $args. */
    public FakeExchange target(String target) {
        requireNonNull(target, "target");
        request.requestUri = target;
        int q = target.indexOf('?');
        request.uri = q < 0 ? target : target.substring(0, q);
        request.args = q < 0 ? null : target.substring(q + 1);
        return this;
    }

    public FakeExchange method(String method) {
        request.method = method;
        return this;
    }

    /** Overrides $uri alone (the decoded, normalised path). */
    public FakeExchange uri(String uri) {
        request.uri = uri;
        return this;
    }

    public FakeExchange host(String host) {
        request.host = host;
        return this;
    }

    public FakeExchange scheme(String scheme) {
        request.scheme = scheme;
        return this;
    }

    /** The buffered request body ({@link RequestView#body()}); none unless set. */
    public FakeExchange body(byte[] body) {
        request.body = body.clone();
        return this;
    }

    /** $server_protocol; HTTP/1.1 unless set. */
    public FakeExchange protocol(String protocol) {
        request.protocol = requireNonNull(protocol, "protocol");
        return this;
    }

    public FakeExchange requestHeader(String name, String value) {
        request.headers.add(name, value);
        return this;
    }

    /**
     * Adds {@code count} request header lines {@code X-H<i>: v} spread over {@code names} names
     * (the one name {@code X-H} when {@code names} is 1): requests around the 100-line window of
     * {@code ngx.req.get_headers()}.
     */
    public FakeExchange requestHeaderLines(int count, int names) {
        for (int i = 0; i < count; i++) {
            requestHeader(names == 1 ? "X-H" : "X-H" + (i % names), "v");
        }
        return this;
    }

    public FakeExchange responseHeader(String name, String value) {
        response.headers.add(name, value);
        return this;
    }

    public FakeExchange status(int status) {
        response.status = status;
        return this;
    }

    public FakeExchange customer(String customer) {
        this.customer = customer;
        return this;
    }

    public FakeExchange remoteAddress(String remoteAddress) {
        this.remoteAddress = remoteAddress;
        return this;
    }

    public FakeExchange requestId(String requestId) {
        this.requestId = requestId;
        return this;
    }

    public FakeExchange var(String name, String value) {
        variables.put(name, value);
        return this;
    }

    public <T> FakeExchange ctx(CtxKey<T> key, T value) {
        put(key, value);
        return this;
    }

    public FakeExchange clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public FakeExchange sharedDict(String name, SharedDict dict) {
        shared.put(name, dict);
        return this;
    }

    /** Every line logged so far, in order. */
    public List<LogLine> logLines() {
        return List.copyOf(log);
    }

    /** The raw context, by ngx.ctx field name. */
    public Map<String, Object> ctxValues() {
        return Map.copyOf(ctx);
    }

    /** Whether {@code uri(String)} was called by the stage (ngx.req.set_uri). */
    public boolean uriSet() {
        return request.uriSet;
    }

    public FakeHeaders requestHeaders() {
        return request.headers;
    }

    public FakeHeaders responseHeaders() {
        return response.headers;
    }

    @Override public String requestId() { return requestId; }
    @Override public String customer() { return customer; }
    @Override public String remoteAddress() { return remoteAddress; }
    @Override public RequestView request() { return request; }
    @Override public ResponseView response() { return response; }
    @Override public String upstream() { return upstream; }
    @Override public void upstream(String name) { upstream = requireNonNull(name, "name"); }

    @Override
    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    @Override
    public void variable(String name, String value) {
        variables.put(name, value);
    }

    @Override
    public <T> Optional<T> get(CtxKey<T> key) {
        @SuppressWarnings("unchecked")
        T v = (T) ctx.get(key.name());
        return Optional.ofNullable(v);
    }

    @Override
    public <T> void put(CtxKey<T> key, T value) {
        ctx.put(key.name(), requireNonNull(value, "value"));
    }

    @Override
    public void remove(CtxKey<?> key) {
        ctx.remove(key.name());
    }

    @Override
    public Optional<SharedDict> shared(String name) {
        return Optional.ofNullable(shared.get(name));
    }

    @Override public Clock clock() { return clock; }
    @Override public RandomGenerator random() { return random; }

    @Override
    public void log(LogLevel level, String message) {
        log.add(new LogLine(level, message));
    }

    /** Case-insensitive header fields in insertion order; a name may repeat. */
    public static final class FakeHeaders implements HeaderFields {
        private final List<Map.Entry<String, String>> fields = new ArrayList<>();

        private static boolean same(String a, String b) {
            return a.equalsIgnoreCase(b);
        }

        @Override
        public Optional<String> first(String name) {
            return fields.stream().filter(e -> same(e.getKey(), name)).map(Map.Entry::getValue).findFirst();
        }

        @Override
        public List<String> all(String name) {
            return fields.stream().filter(e -> same(e.getKey(), name)).map(Map.Entry::getValue).toList();
        }

        @Override
        public boolean contains(String name) {
            return fields.stream().anyMatch(e -> same(e.getKey(), name));
        }

        @Override
        public void set(String name, String value) {
            remove(name);
            add(name, value);
        }

        @Override
        public void add(String name, String value) {
            fields.add(Map.entry(requireNonNull(name, "name"), requireNonNull(value, "value")));
        }

        @Override
        public void remove(String name) {
            fields.removeIf(e -> same(e.getKey(), name));
        }

        @Override
        public List<String> names() {
            return fields.stream().map(e -> e.getKey().toLowerCase(Locale.ROOT)).distinct().toList();
        }

        /** Every field as "Name: value", in order (names as written). */
        public List<String> lines() {
            return fields.stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
        }
    }

    private static final class FakeRequest implements RequestView {
        private String method = "GET";
        private String requestUri = "/";
        private String uri = "/";
        private String args;
        private boolean uriSet;
        private String host = "acme.test";
        private String scheme = "http";
        private String protocol = "HTTP/1.1";
        private byte[] body;
        private final FakeHeaders headers = new FakeHeaders();

        @Override public String method() { return method; }
        @Override public void method(String method) { this.method = method; }
        @Override public String requestUri() { return requestUri; }
        @Override public String uri() { return uri; }

        @Override
        public void uri(String uri) {
            this.uri = requireNonNull(uri, "uri");
            uriSet = true;
        }

        @Override public Optional<String> args() { return Optional.ofNullable(args); }

        @Override
        public void args(String args) {
            this.args = args.isEmpty() ? null : args;
        }

        @Override
        public List<String> arg(String name) {
            List<String> out = new ArrayList<>();
            if (args == null) {
                return out;
            }
            for (String pair : args.split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                if (k.equals(name)) {
                    out.add(eq < 0 ? "" : pair.substring(eq + 1).replace('+', ' '));
                }
            }
            return out;
        }

        @Override public HeaderFields headers() { return headers; }

        @Override
        public Optional<String> cookie(String name) {
            for (String line : headers.all("Cookie")) {
                for (String part : line.split(";")) {
                    String p = part.strip();
                    if (p.startsWith(name + "=")) {
                        return Optional.of(p.substring(name.length() + 1));
                    }
                }
            }
            return Optional.empty();
        }

        @Override public Optional<byte[]> body() { return Optional.ofNullable(body).map(byte[]::clone); }
        @Override public String host() { return host; }
        @Override public String scheme() { return scheme; }
        @Override public String protocol() { return protocol; }
    }

    private static final class FakeResponse implements ResponseView {
        private int status;
        private final FakeHeaders headers = new FakeHeaders();

        @Override public int status() { return status; }
        @Override public void status(int status) { this.status = status; }
        @Override public HeaderFields headers() { return headers; }
    }
}
