package dev.graft.modules.accesslog;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.HeaderFields;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageModule;
import dev.graft.modules.lua.LuaText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** accesslog in Java: the log phase of {@code legacy-scripts/accesslog/handler.lua}. */
public final class AccesslogStage implements StageModule<AccesslogConfig> {

    static final String PREFIX = "graft-access ";

    @Override
    public String name() {
        return "accesslog";
    }

    @Override
    public Class<AccesslogConfig> configType() {
        return AccesslogConfig.class;
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.LOG);
    }

    @Override
    public Outcome log(StageExchange exchange, AccesslogConfig config) {
        requireNonNull(exchange, "exchange");
        AccesslogPlan plan = requireNonNull(config, "config").plan();
        plan.problems().reportOnce(exchange);
        String uri = exchange.request().uri();
        for (String p : plan.exclude()) {
            if (uri.startsWith(p)) {
                return Outcome.proceed();
            }
        }
        if (exchange.logs(plan.level())) { // the line is costly to build: only when it is written
            exchange.log(plan.level(), PREFIX + line(exchange, plan));
        }
        return Outcome.proceed();
    }

    /**
     * The JSON object, keys in sorted order (added in that order, as the Lua module does), as a
     * byte string (one char per byte), the form {@code StageExchange.log} takes: request text
     * already is one; text from {@code CtxType.TEXT} keys and the customer is turned back into
     * its UTF-8 bytes, and the cache key's bytes are taken as they are, so {@code max_len} cuts
     * bytes and the logged line is the Lua module's.
     */
    static String line(StageExchange ex, AccesslogPlan plan) {
        long ml = plan.maxLen();
        List<String> f = new ArrayList<>(24);
        ex.get(CtxKeys.AUTH_USER).ifPresent(v -> add(f, "auth_user", JsonLine.string(LuaText.bytes(v), ml)));
        JsonLine.varNumber(ex.variable("bytes_sent")).ifPresent(v -> add(f, "bytes_sent", v));
        text(f, "cache_key", ex.get(CtxKeys.CACHE_KEY).map(k -> new String(k, StandardCharsets.ISO_8859_1)), ml);
        String remote = ex.remoteAddress();
        text(f, "client", Optional.of(remote), ml);
        // the address ip_rules resolved through trusted proxies, when it differs from the peer
        text(f, "client_ip", ex.get(CtxKeys.CLIENT_IP).filter(ip -> !ip.equals(remote)).map(LuaText::bytes), ml);
        text(f, "customer", Optional.of(LuaText.bytes(ex.get(CtxKeys.CUSTOMER).orElse(ex.customer()))), ml);
        if (!plan.headers().isEmpty()) {
            HeaderFields request = ex.request().headers();
            List<String> h = new ArrayList<>();
            for (String name : plan.headers()) {
                List<String> values = request.all(name);
                if (values.size() == 1) {
                    h.add(JsonLine.string(name, -1) + ":" + JsonLine.string(values.get(0), ml));
                } else if (!values.isEmpty()) {
                    h.add(JsonLine.string(name, -1) + ":" + JsonLine.encode(values, ml, 2));
                }
            }
            add(f, "headers", "{" + String.join(",", h) + "}");
        }
        text(f, "host", Optional.of(ex.request().host()), ml);
        text(f, "method", Optional.of(ex.request().method()), ml);
        ex.get(CtxKeys.RATELIMIT).ifPresent(rl -> add(f, "ratelimit", JsonLine.encode(fieldBytes(rl), ml, 1)));
        text(f, "request_id", Optional.of(ex.requestId()), ml);
        JsonLine.varNumber(ex.variable("request_time")).ifPresent(v -> add(f, "request_time", v));
        text(f, "route", ex.get(CtxKeys.ROUTE).map(LuaText::bytes), ml);
        add(f, "status", JsonLine.number(ex.response().status()));
        text(f, "time", ex.variable("time_iso8601"), ml);
        Optional<String> upstreamAddr = ex.variable("upstream_addr").filter(a -> !a.isEmpty());
        if (upstreamAddr.isPresent()) {
            text(f, "upstream", Optional.of(ex.upstream()), ml);
            text(f, "upstream_addr", upstreamAddr, ml);
            text(f, "upstream_status", ex.variable("upstream_status"), ml);
            text(f, "upstream_time", ex.variable("upstream_response_time"), ml);
        }
        text(f, "uri", Optional.of(ex.request().requestUri()), ml);
        Optional<List<Long>> matches = ex.get(CtxKeys.WAF_MATCHES);
        Optional<Long> score = ex.get(CtxKeys.WAF_SCORE);
        if (matches.isPresent() || score.isPresent()) {
            List<String> waf = new ArrayList<>(2);
            matches.ifPresent(m -> waf.add("\"matches\":" + JsonLine.encode(m, ml, 2)));
            score.ifPresent(s -> waf.add("\"score\":" + JsonLine.number(s)));
            add(f, "waf", "{" + String.join(",", waf) + "}");
        }
        return "{" + String.join(",", f) + "}";
    }

    /** A {@code CtxType.FIELDS} value with its text values as byte strings. */
    private static Map<String, Object> fieldBytes(Map<String, Object> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(LuaText.bytes(k), v instanceof String s ? LuaText.bytes(s) : v));
        return out;
    }

    private static void add(List<String> fields, String key, String encoded) {
        fields.add("\"" + key + "\":" + encoded);
    }

    /** str_or_nil: absent and "" are left out. */
    private static void text(List<String> fields, String key, Optional<String> v, long ml) {
        if (v.isPresent() && !v.get().isEmpty()) {
            add(fields, key, JsonLine.string(v.get(), ml));
        }
    }
}
