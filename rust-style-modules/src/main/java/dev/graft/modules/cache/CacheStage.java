package dev.graft.modules.cache;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.HeaderFields;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.RequestView;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageModule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** cache in Java: the rewrite and header_filter phases of {@code legacy-scripts/cache/handler.lua}. */
public final class CacheStage implements StageModule<CacheConfig> {

    private static final String BYPASS_VALUE = "private, no-store";

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public Class<CacheConfig> configType() {
        return CacheConfig.class;
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.REWRITE, Phase.HEADER_FILTER);
    }

    /** The key and the rule, on the path the client asked for (before router rewrites it). */
    @Override
    public Outcome rewrite(StageExchange exchange, CacheConfig config) {
        requireNonNull(exchange, "exchange");
        requireNonNull(config, "config");
        String method = exchange.request().method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Outcome.proceed();
        }
        CachePlan plan = config.plan();
        plan.problems().reportOnce(exchange);
        exchange.put(CtxKeys.CACHE_KEY, ctxBytes(key(exchange.request(), method)));
        exchange.put(CtxKeys.CACHE_RULE, (long) matchRule(plan.rules(), exchange.request().uri()));
        return Outcome.proceed();
    }

    @Override
    public Outcome headerFilter(StageExchange exchange, CacheConfig config) {
        requireNonNull(exchange, "exchange");
        requireNonNull(config, "config");
        String method = exchange.request().method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Outcome.proceed();
        }
        CachePlan plan = config.plan();
        plan.problems().reportOnce(exchange);
        Optional<String> key = exchange.get(CtxKeys.CACHE_KEY).map(CacheStage::byteChars);
        Optional<CompiledCacheRule> rule = ruleAt(plan.rules(), exchange.get(CtxKeys.CACHE_RULE).orElse(0L));
        if (key.isEmpty()) {
            // an earlier stage answered in rewrite before this module's rewrite ran
            key = Optional.of(key(exchange.request(), method));
            exchange.put(CtxKeys.CACHE_KEY, ctxBytes(key.get()));
            rule = ruleAt(plan.rules(), matchRule(plan.rules(), exchange.request().uri()));
        }
        HeaderFields response = exchange.response().headers();
        String k = key.get();
        plan.keyHeader().ifPresent(name -> response.set(responseName(name), k));

        if (bypass(plan, exchange.request().headers(), response)) {
            response.set("Cache-Control", BYPASS_VALUE);
            return Outcome.proceed();
        }
        if (rule.isEmpty() || !plan.statuses().contains((double) exchange.response().status())) {
            return Outcome.proceed();
        }
        if (!rule.get().override() && response.contains("Cache-Control")) {
            return Outcome.proceed();
        }
        response.set("Cache-Control", rule.get().value());
        return Outcome.proceed();
    }

    private static boolean bypass(CachePlan plan, HeaderFields request, HeaderFields response) {
        boolean bypass = false;
        if (plan.bypassAuthorization() && request.contains("Authorization")) {
            bypass = true;
        } else {
            List<String> cookie = request.all("Cookie");
            if (!cookie.isEmpty()) {
                if (plan.anyCookie()) {
                    bypass = Bypass.hasCookie(cookie);
                } else if (!plan.cookies().isEmpty()) {
                    bypass = Bypass.cookieNamesPresent(cookie, plan.cookies());
                }
            }
        }
        return bypass || (plan.privateOnSetCookie() && response.contains("Set-Cookie"));
    }

    private static String key(RequestView request, String method) {
        return CacheKey.of(method, request.host(), request.uri(), request.args());
    }

    /**
     * The key's bytes for {@code ngx.ctx.cache_key}: the key is a byte string (one char per byte,
     * as the request's path and args arrive), so each char is one byte. Not UTF-8: that would
     * encode a non-ASCII byte twice ("café" read back as "cafÃ©").
     */
    static byte[] ctxBytes(String key) {
        return key.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code ngx.ctx.cache_key} as a byte string again (set by this stage or by the Lua module). */
    static String byteChars(byte[] key) {
        return new String(key, StandardCharsets.ISO_8859_1);
    }

    /** The 1-based position of the first rule matching {@code path}, 0 for none. */
    static int matchRule(List<CompiledCacheRule> rules, String path) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).matches(path)) {
                return i + 1;
            }
        }
        return 0;
    }

    private static Optional<CompiledCacheRule> ruleAt(List<CompiledCacheRule> rules, long position) {
        return position >= 1 && position <= rules.size() ? Optional.of(rules.get((int) position - 1)) : Optional.empty();
    }

    /** ngx.header keys: '_' becomes '-'. */
    private static String responseName(String name) {
        return name.replace('_', '-');
    }
}
