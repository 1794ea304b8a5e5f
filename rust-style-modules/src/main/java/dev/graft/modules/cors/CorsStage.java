package dev.graft.modules.cors;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.HeaderFields;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageModule;
import dev.graft.modules.lua.HeaderLimit;
import dev.graft.modules.lua.LuaText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Java port of legacy-scripts/cors/handler.lua. access decides whether the request's Origin
 * is allowed (kept in {@code ngx.ctx.cors_origin}) and answers preflights; header_filter puts
 * the CORS headers on the response of an allowed origin, removes the upstream's own otherwise,
 * and adds {@code Vary: Origin}.
 */
public final class CorsStage implements StageModule<CorsConfig> {

    @Override
    public String name() {
        return "cors";
    }

    @Override
    public Class<CorsConfig> configType() {
        return CorsConfig.class;
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.ACCESS, Phase.HEADER_FILTER);
    }

    /** get_headers()[name]: a string when sent once, a list when repeated, absent otherwise. */
    private static Optional<String> single(HeaderFields h, String name) {
        return h.count(name) == 1 ? h.first(name) : Optional.empty();
    }

    /** The Access-Control-Allow-Origin value for the request's Origin, when allowed. */
    static Optional<String> allowedOrigin(CorsConfig c, HeaderFields request) {
        Optional<String> origin = single(request, "origin");
        if (origin.isEmpty() || origin.get().isEmpty()) {
            return Optional.empty(); // absent, or repeated: a browser sends exactly one
        }
        String lower = LuaText.asciiLower(origin.get());
        if (c.exact(lower)) {
            return origin;
        }
        for (OriginPattern p : c.originPatterns().orElse(List.of())) {
            if (p != null && p.matches(lower)) {
                return origin;
            }
        }
        if (c.any()) {
            // "*" cannot be combined with credentials: browsers then need the origin itself
            return c.allowCredentials() ? origin : Optional.of("*");
        }
        return Optional.empty();
    }

    @Override
    public Outcome access(StageExchange exchange, CorsConfig config) {
        config.loadProblems().reportOnce(exchange);
        if (HeaderLimit.exceeded(exchange.request().headers())) {
            return Outcome.fallback(HeaderLimit.FALLBACK);
        }
        HeaderFields headers = exchange.request().headers();
        Optional<String> value = allowedOrigin(config, headers);
        if (value.isPresent()) {
            Optional<String> text = LuaText.ctxText(value.get());
            if (text.isEmpty()) {
                // an echoed Origin that is not UTF-8 cannot cross to Lua as TEXT unchanged
                return Outcome.fallback("origin not UTF-8");
            }
            exchange.put(CtxKeys.CORS_ORIGIN, text.get());
        } else {
            exchange.remove(CtxKeys.CORS_ORIGIN);
        }
        exchange.put(CtxKeys.CORS_CHECKED, true);
        if (exchange.request().method().equals("OPTIONS") && headers.contains("origin")) {
            int m = headers.count("access-control-request-method");
            if (m > 1 || (m == 1 && !headers.first("access-control-request-method").orElseThrow().isEmpty())) {
                exchange.put(CtxKeys.CORS_PREFLIGHT, true);
                return preflight(exchange, config, headers, value);
            }
        }
        return Outcome.proceed();
    }

    private static Outcome refuse(StageExchange exchange, String message) {
        exchange.remove(CtxKeys.CORS_ORIGIN); // a refused preflight carries no CORS headers at all
        return Outcome.exit(403, List.of(Map.entry("Content-Type", "text/plain")),
                (message + "\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Every requested header ("a, B ,c") is allowed. */
    private static boolean headersAllowed(CorsConfig c, String requested) {
        int pos = 0;
        int len = requested.length();
        while (pos < len) {
            int comma = requested.indexOf(',', pos);
            int end = comma < 0 ? len : comma;
            String name = trim(requested.substring(pos, end));
            if (!name.isEmpty() && !c.headerAllowed(LuaText.asciiLower(name))) {
                return false;
            }
            pos = end + 1;
        }
        return true;
    }

    private static String trim(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
            a++;
        }
        while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
            b--;
        }
        return s.substring(a, b);
    }

    private static Outcome preflight(StageExchange exchange, CorsConfig c, HeaderFields headers, Optional<String> value) {
        if (value.isEmpty()) {
            return refuse(exchange, "origin not allowed");
        }
        Optional<String> method = single(headers, "access-control-request-method");
        if (method.isEmpty() || !c.methodList().contains(method.get())) {
            return refuse(exchange, "method not allowed");
        }
        List<String> req = headers.all("access-control-request-headers");
        Optional<String> requested = req.isEmpty() ? Optional.empty() : Optional.of(String.join(",", req));
        Optional<String> allowHeaders = c.allowHeaders();
        if (allowHeaders.isPresent()) {
            if (requested.isPresent() && !headersAllowed(c, requested.get())) {
                return refuse(exchange, "header not allowed");
            }
        } else {
            allowHeaders = requested; // reflect what the client asked for
        }
        List<Map.Entry<String, String>> out = new ArrayList<>(7);
        out.add(Map.entry("Access-Control-Allow-Origin", value.get()));
        if (c.allowCredentials()) {
            out.add(Map.entry("Access-Control-Allow-Credentials", "true"));
        }
        String methods = c.plan().allowMethods();
        if (!methods.isEmpty()) { // nginx clears a header set to ""
            out.add(Map.entry("Access-Control-Allow-Methods", methods));
        }
        allowHeaders.filter(h -> !h.isEmpty()).ifPresent(h -> out.add(Map.entry("Access-Control-Allow-Headers", h)));
        c.maxAgeValue().ifPresent(a -> out.add(Map.entry("Access-Control-Max-Age", a)));
        // the response has no Vary yet in access: it becomes exactly "Origin"
        out.add(Map.entry("Vary", "Origin"));
        return new Outcome.Exit(c.preflight(), out, Optional.empty());
    }

    @Override
    public Outcome headerFilter(StageExchange exchange, CorsConfig config) {
        config.loadProblems().reportOnce(exchange);
        if (HeaderLimit.exceeded(exchange.request().headers())) {
            return Outcome.fallback(HeaderLimit.FALLBACK);
        }
        Optional<String> value = exchange.get(CtxKeys.CORS_ORIGIN).map(LuaText::bytes);
        if (value.isEmpty() && exchange.get(CtxKeys.CORS_CHECKED).isEmpty()) {
            // an earlier stage answered before our access ran (a 401, a redirect): the browser
            // still needs the CORS headers to read that answer
            value = allowedOrigin(config, exchange.request().headers());
        }
        HeaderFields response = exchange.response().headers();
        if (value.isPresent()) {
            response.set("Access-Control-Allow-Origin", value.get());
            if (config.allowCredentials()) {
                response.set("Access-Control-Allow-Credentials", "true");
            }
            Optional<String> expose = config.expose();
            if (expose.isPresent() && exchange.get(CtxKeys.CORS_PREFLIGHT).isEmpty()) {
                response.set("Access-Control-Expose-Headers", expose.get());
            }
        } else {
            response.remove("Access-Control-Allow-Origin");
            response.remove("Access-Control-Allow-Credentials");
            response.remove("Access-Control-Expose-Headers");
        }
        addVaryOrigin(response);
        return Outcome.proceed();
    }

    /** Adds Origin to Vary: merged with the upstream's, not repeated, not added to "*". */
    static void addVaryOrigin(HeaderFields response) {
        if (!response.contains("Vary")) {
            response.set("Vary", "Origin");
            return;
        }
        String joined = String.join(", ", response.all("Vary"));
        String lower = LuaText.asciiLower(joined);
        if (lower.indexOf('*') >= 0 || namesOrigin(lower)) {
            return;
        }
        response.set("Vary", joined + ", Origin");
    }

    /** The Lua regex {@code (^|[ ,])origin($|[ ,])} on the lower-cased value. */
    private static boolean namesOrigin(String lower) {
        int from = 0;
        while (true) {
            int at = lower.indexOf("origin", from);
            if (at < 0) {
                return false;
            }
            int end = at + 6;
            boolean before = at == 0 || lower.charAt(at - 1) == ' ' || lower.charAt(at - 1) == ',';
            boolean after = end == lower.length() || lower.charAt(end) == ' ' || lower.charAt(end) == ','
                    || (end == lower.length() - 1 && lower.charAt(end) == '\n');
            if (before && after) {
                return true;
            }
            from = at + 1;
        }
    }
}
