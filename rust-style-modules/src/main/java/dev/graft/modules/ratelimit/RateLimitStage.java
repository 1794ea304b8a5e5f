package dev.graft.modules.ratelimit;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.bridge.StageModule;
import dev.graft.bridge.shared.SharedDict;
import dev.graft.modules.lua.LuaText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Per-customer request rate limits: the Java side of legacy-scripts/ratelimit/handler.lua.
 * access counts the request against every rule that applies and refuses it when one is over
 * its limit; header_filter sends the RateLimit headers. Counters are the Lua module's, in the
 * same shared dict under the same keys, so they carry over when the module changes side.
 */
public final class RateLimitStage implements StageModule<RateLimitConfig> {

    static final String DICT_NAME = "ratelimit";
    /** get_headers() reads at most this many header lines; beyond it Lua would not see a header. */
    private static final int MAX_HEADERS = 100;

    @Override
    public String name() {
        return "ratelimit";
    }

    @Override
    public Class<RateLimitConfig> configType() {
        return RateLimitConfig.class;
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.ACCESS, Phase.HEADER_FILTER);
    }

    @Override
    public boolean securityCritical() {
        return true;
    }

    @Override
    public Outcome access(StageExchange exchange, RateLimitConfig config) {
        RateLimitConfig.Policy p = policy(exchange, config);
        List<RateLimitRule> rules = p.rules();
        if (rules.isEmpty()) {
            return Outcome.proceed();
        }
        if (p.hasHeaderRule() && headerLines(exchange) > MAX_HEADERS) {
            // which header Lua sees depends on the order of the lines: let Lua decide
            return Outcome.fallback("over 100 request headers");
        }
        Optional<SharedDict> dict = exchange.shared(DICT_NAME);
        if (dict.isEmpty()) {
            exchange.log(LogLevel.ERR, "ratelimit: lua_shared_dict " + DICT_NAME + " is not configured, request allowed");
            return Outcome.proceed();
        }
        String customer = exchange.customer();
        String uri = exchange.request().uri();
        long now = Math.floorDiv(exchange.clock().millis(), 1000L);
        Counters counters = new Counters(dict.get(), exchange::log);
        Map<String, Object> chosen = null;
        long chosenRemaining = 0;
        for (RateLimitRule rule : rules) {
            Optional<byte[]> key = RuleKeys.key(rule, uri, exchange);
            if (key.isEmpty()) {
                continue;
            }
            byte[] base = RuleKeys.base(customer, rule, key.get());
            Counters.Count c = counters.count(base, rule, now);
            if (!c.allowed()) {
                Map<String, Object> rl = published(rule, 0, c.reset());
                exchange.put(CtxKeys.RATELIMIT, rl);
                // the client address, not the key: a header key may be a credential
                if (exchange.logs(LogLevel.INFO)) {
                    exchange.log(LogLevel.INFO, "ratelimit: customer=" + LuaText.bytes(customer)
                            + " rule=" + LuaText.bytes(rule.name())
                            + " client=" + RuleKeys.clientAddress(exchange) + " limit=" + rule.limit() + " refused");
                }
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                headers.add(Map.entry("Retry-After", Long.toString(c.reset())));
                headers.add(Map.entry("Content-Type", "text/plain"));
                headers.addAll(rateLimitHeaders(rule.limit(), 0, c.reset()));
                byte[] body = (p.message() + "\n").getBytes(StandardCharsets.UTF_8);
                return Outcome.exit(p.status(), headers, body);
            }
            if (chosen == null || c.remaining() < chosenRemaining) {
                chosen = published(rule, c.remaining(), c.reset());
                chosenRemaining = c.remaining();
            }
        }
        if (chosen != null) {
            exchange.put(CtxKeys.RATELIMIT, chosen);
        }
        return Outcome.proceed();
    }

    @Override
    public Outcome headerFilter(StageExchange exchange, RateLimitConfig config) {
        Optional<Map<String, Object>> rl = exchange.get(CtxKeys.RATELIMIT);
        if (rl.isEmpty()) {
            return Outcome.proceed();
        }
        RateLimitConfig.Policy p = policy(exchange, config);
        if (!p.headers() && exchange.response().status() != p.status()) {
            return Outcome.proceed();
        }
        Map<String, Object> v = rl.get();
        for (Map.Entry<String, String> h : rateLimitHeaders(integer(v.get("limit")), integer(v.get("remaining")),
                integer(v.get("reset")))) {
            exchange.response().headers().set(h.getKey(), h.getValue());
        }
        return Outcome.proceed();
    }

    /** The settings, logging their problems the first time they are used (as Lua's prepare does). */
    private static RateLimitConfig.Policy policy(StageExchange exchange, RateLimitConfig config) {
        RateLimitConfig.Policy p = config.policy();
        if (p.firstUse()) {
            for (String line : p.problems()) {
                exchange.log(LogLevel.ERR, line);
            }
        }
        return p;
    }

    private static int headerLines(StageExchange exchange) {
        return exchange.request().headers().size();
    }

    /** {@code ngx.ctx.ratelimit}: {rule, limit, remaining, reset}. */
    private static Map<String, Object> published(RateLimitRule rule, long remaining, long reset) {
        Map<String, Object> rl = new LinkedHashMap<>();
        rl.put("rule", rule.name());
        rl.put("limit", rule.limit());
        rl.put("remaining", remaining);
        rl.put("reset", reset);
        return rl;
    }

    private static List<Map.Entry<String, String>> rateLimitHeaders(long limit, long remaining, long reset) {
        return List.of(Map.entry("RateLimit-Limit", Long.toString(limit)),
                Map.entry("RateLimit-Remaining", Long.toString(remaining)),
                Map.entry("RateLimit-Reset", Long.toString(reset)));
    }

    /** {@code string.format("%d", v)} of a ctx number (a Lua stage may have written it). */
    private static long integer(Object v) {
        return v instanceof Number n ? (long) n.doubleValue() : 0;
    }
}
