package dev.graft.modules.waf;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.HeaderFields;
import dev.graft.bridge.RequestView;
import dev.graft.modules.lua.LuaText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parts of one request that rules look at, each computed at most once and only when a rule
 * asks (the body is read and parsed the first time a body target is needed), exactly as
 * waf/handler.lua collects them. Every value is a Lua byte string: one char per byte.
 */
final class RequestParts {

    /** What the body turned out to be ({@code body_status}). */
    enum BodyStatus {
        NONE("none"), FORM("form"), JSON("json"), RAW("raw"), TOO_LARGE("too_large"), INVALID_JSON("invalid_json"),
        TOO_DEEP("too_deep");

        final String luaName;

        BodyStatus(String luaName) {
            this.luaName = luaName;
        }
    }

    private final RequestView request;
    private final WafPolicy policy;
    private final Map<Target.Kind, List<String>> plain = new EnumMap<>(Target.Kind.class);
    private final Map<Target, List<String>> named = new HashMap<>();

    private TreeMap<String, List<String>> headers;
    private FormArgs query;
    private int queryCount = -1;
    private List<String> queryNames;
    private List<String> queryValues;
    private List<String> cookieNames;
    private List<String> cookieValues;
    private Map<String, List<String>> cookiesByName;
    private BodyStatus bodyStatus;
    private List<String> bodyNames;
    private List<String> bodyValues;
    private List<String> bodyRaw;
    private int bodyCount;
    private FormArgs bodyArgs;

    RequestParts(RequestView request, WafPolicy policy) {
        this.request = requireNonNull(request, "request");
        this.policy = requireNonNull(policy, "policy");
    }

    String method() {
        return request.method();
    }

    /** The values of {@code target}, in the order Lua visits them. */
    List<String> values(Target target) {
        return switch (target) {
            case Target.Part p -> plain.computeIfAbsent(p.kind(), this::collect);
            case Target.Header h -> named.computeIfAbsent(h, t -> headerValues(h.name()));
            case Target.Cookie c -> named.computeIfAbsent(c, t -> {
                parseCookies();
                return cookiesByName.getOrDefault(c.name(), List.of());
            });
            case Target.Arg a -> named.computeIfAbsent(a, t -> {
                List<String> out = new ArrayList<>(query().values(a.name()));
                loadBody();
                out.addAll(bodyArgs.values(a.name()));
                return out;
            });
        };
    }

    private List<String> collect(Target.Kind kind) {
        return switch (kind) {
            case METHOD -> List.of(request.method());
            case PROTOCOL -> List.of(request.protocol());
            case URI -> List.of(request.uri());
            case RAW_URI -> List.of(request.requestUri());
            case ARGS -> {
                flattenQuery();
                yield queryValues;
            }
            case ARG_NAMES -> {
                flattenQuery();
                yield queryNames;
            }
            case ARGS_COUNT -> {
                flattenQuery();
                loadBody();
                yield List.of(Long.toString((long) queryCount + bodyCount));
            }
            case BODY_ARGS -> {
                loadBody();
                yield bodyValues;
            }
            case BODY_ARG_NAMES -> {
                loadBody();
                yield bodyNames;
            }
            case BODY -> {
                loadBody();
                yield bodyRaw;
            }
            case BODY_STATUS -> {
                loadBody();
                yield List.of(bodyStatus.luaName);
            }
            case HEADERS -> {
                List<String> values = new ArrayList<>();
                headers().forEach((name, v) -> {
                    if (!name.equals("cookie")) {
                        values.addAll(v);
                    }
                });
                yield values;
            }
            case HEADER_NAMES -> List.copyOf(headers().keySet());
            case COOKIES -> {
                parseCookies();
                yield cookieValues;
            }
            case COOKIE_NAMES -> {
                parseCookies();
                yield cookieNames;
            }
            case CONTENT_LENGTH -> headerValues("content-length");
            case LENGTH_AND_CHUNKED -> List.of(headers().containsKey("content-length")
                    && headers().containsKey("transfer-encoding") ? "yes" : "no");
        };
    }

    /**
     * Lines of request headers (ngx.req.get_headers(100) sees only the first 100), counted on
     * the headers this request's rules will read, so the header fields are walked once.
     */
    int headerLines() {
        int n = 0;
        for (List<String> v : headers().values()) {
            n += v.size();
        }
        return n;
    }

    /** get_headers(): lower-case name to its values, names in sorted (byte) order. */
    private TreeMap<String, List<String>> headers() {
        if (headers == null) {
            headers = new TreeMap<>();
            HeaderFields fields = request.headers();
            for (String name : fields.names()) {
                List<String> v = fields.all(name);
                if (!v.isEmpty()) {
                    headers.merge(LuaText.asciiLower(name), List.copyOf(v), (a, b) -> {
                        List<String> all = new ArrayList<>(a);
                        all.addAll(b);
                        return all;
                    });
                }
            }
        }
        return headers;
    }

    private List<String> headerValues(String name) {
        return headers().getOrDefault(name, List.of());
    }

    private FormArgs query() {
        if (query == null) {
            query = FormArgs.parse(request.args().orElse(""), policy.argsLimit());
        }
        return query;
    }

    private void flattenQuery() {
        if (queryCount < 0) {
            queryNames = new ArrayList<>();
            queryValues = new ArrayList<>();
            queryCount = query().flatten(queryNames, queryValues);
        }
    }

    /** parse_cookies: every pair of every Cookie header, trimmed, values URL-decoded. */
    private void parseCookies() {
        if (cookieNames != null) {
            return;
        }
        cookieNames = new ArrayList<>();
        cookieValues = new ArrayList<>();
        cookiesByName = new HashMap<>();
        for (String line : headerValues("cookie")) {
            int i = 0;
            int n = line.length();
            while (i < n) {
                int semi = line.indexOf(';', i);
                if (semi < 0) {
                    semi = n;
                }
                if (semi > i) {
                    cookie(line.substring(i, semi));
                }
                i = semi + 1;
            }
        }
    }

    private void cookie(String pair) {
        int eq = pair.indexOf('=');
        String name = trim(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : trim(pair.substring(eq + 1));
        if (name.isEmpty() && value.isEmpty()) {
            return;
        }
        value = LuaText.unescapeUri(value);
        cookieNames.add(name);
        cookieValues.add(value);
        cookiesByName.computeIfAbsent(LuaText.asciiLower(name), k -> new ArrayList<>()).add(value);
    }

    /** Lua's {@code %s*(.-)%s*}: spaces (C isspace) off both ends. */
    private static String trim(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && LuaText.isSpace(s.charAt(a))) {
            a++;
        }
        while (b > a && LuaText.isSpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    /** load_body: reads and parses the body once. */
    private void loadBody() {
        if (bodyStatus != null) {
            return;
        }
        bodyNames = new ArrayList<>();
        bodyValues = new ArrayList<>();
        bodyRaw = new ArrayList<>(1);
        bodyArgs = new FormArgs(Map.of());
        bodyStatus = readBody();
    }

    private BodyStatus readBody() {
        Map<String, List<String>> h = headers();
        Optional<String> cl = first(h, "content-length");
        java.util.OptionalDouble length = cl.isPresent() ? LuaText.tonumber(cl.get()) : java.util.OptionalDouble.empty();
        if (length.isEmpty() && !h.containsKey("transfer-encoding")) {
            return BodyStatus.NONE;
        }
        if (length.isPresent() && length.getAsDouble() > policy.bodyLimit()) {
            return BodyStatus.TOO_LARGE;
        }
        // a body the host did not buffer reads as nil in Lua too
        Optional<byte[]> body = request.body();
        if (body.isEmpty() || body.get().length == 0) {
            return BodyStatus.NONE;
        }
        byte[] bytes = body.get();
        if (bytes.length > policy.bodyLimit()) {
            return BodyStatus.TOO_LARGE;
        }
        String data = new String(bytes, StandardCharsets.ISO_8859_1);
        String ctype = LuaText.asciiLower(first(h, "content-type").orElse(""));
        if (ctype.contains("application/x-www-form-urlencoded")) {
            bodyArgs = FormArgs.parse(data, policy.argsLimit());
            bodyCount = bodyArgs.flatten(bodyNames, bodyValues);
            return BodyStatus.FORM;
        }
        if (ctype.contains("json")) {
            Optional<Object> doc = JsonBody.decode(data);
            if (doc.isEmpty()) {
                bodyRaw.add(data); // still inspected as text
                return BodyStatus.INVALID_JSON;
            }
            JsonBody.Walk w = JsonBody.walk(doc.get(), 1, bodyNames, bodyValues);
            bodyCount = w.count();
            return w.tooDeep() ? BodyStatus.TOO_DEEP : BodyStatus.JSON;
        }
        bodyRaw.add(data);
        return BodyStatus.RAW;
    }

    private static Optional<String> first(Map<String, List<String>> h, String name) {
        List<String> v = h.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
}
