package dev.graft.modules.router;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.HeaderFields;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.RequestView;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageModule;
import dev.graft.modules.lua.HeaderLimit;
import dev.graft.modules.lua.LuaText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java port of legacy-scripts/router/handler.lua: the first matching route chooses the
 * upstream ({@code $graft_upstream}), a pool target, the object store (via set_uri) or a
 * maintenance page; the route's name goes to {@code ngx.ctx.route}. header_filter sends the
 * pool's sticky cookie chosen in access.
 */
public final class RouterStage implements StageModule<RouterConfig> {

    @Override
    public String name() {
        return "router";
    }

    @Override
    public Class<RouterConfig> configType() {
        return RouterConfig.class;
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.ACCESS, Phase.HEADER_FILTER);
    }

    private static Outcome maintenancePage(Maintenance m) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(3);
        headers.add(Map.entry("Content-Type", "text/html"));
        headers.add(Map.entry("Cache-Control", "no-store"));
        m.retryAfter().ifPresent(r -> headers.add(Map.entry("Retry-After", r.value())));
        return Outcome.exit(503, headers, (m.page() + "\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Outcome notFound() {
        return Outcome.exit(404, List.of(Map.entry("Content-Type", "text/plain")),
                "not found\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Outcome use(StageExchange exchange, RouterConfig c, String route, String upstream) {
        // names come from the settings (valid UTF-8): Java text for the host and the ctx
        exchange.upstream(LuaText.ctxText(upstream).orElseThrow());
        exchange.put(CtxKeys.ROUTE, LuaText.ctxText(route).orElseThrow());
        c.routeHeader().ifPresent(h -> setRequestHeader(exchange.request().headers(), h, route));
        return Outcome.proceed();
    }

    @Override
    public Outcome access(StageExchange exchange, RouterConfig config) {
        config.loadProblems().reportOnce(exchange);
        if (HeaderLimit.exceeded(exchange.request().headers())) {
            return Outcome.fallback(HeaderLimit.FALLBACK);
        }
        if (config.maintenance().isPresent()) {
            exchange.put(CtxKeys.ROUTE, "maintenance");
            return maintenancePage(config.maintenance().get());
        }
        RequestView request = exchange.request();
        String uri = request.uri();
        String host = request.host();
        String method = request.method();
        for (RouteTable.Entry entry : config.table().entries()) {
            Route route = entry.route();
            if (!route.matches(host, method, uri)) {
                continue;
            }
            String name = entry.name();
            if (route.maintenance().isPresent()) {
                exchange.put(CtxKeys.ROUTE, LuaText.ctxText(name).orElseThrow());
                return maintenancePage(route.maintenance().get());
            }
            if (route.bucket().isPresent()) {
                String key = uri.substring(Math.min(route.prefix().orElseThrow().length(), uri.length()));
                if (key.isEmpty()) {
                    exchange.put(CtxKeys.ROUTE, LuaText.ctxText(name).orElseThrow());
                    return notFound();
                }
                request.uri("/" + route.bucket().get() + "/" + key);
                if (!route.keepQuery().orElse(false) && request.args().isPresent()) {
                    request.args("");
                }
                return use(exchange, config, name, route.upstream().orElse("bucket"));
            }
            if (route.stripPrefix().orElse(false) && route.prefix().isPresent()) {
                String rest = uri.substring(route.prefix().get().length());
                request.uri(rest.startsWith("/") ? rest : "/" + rest);
            }
            if (entry.pool().isPresent()) {
                RouteTable.PoolPlan pool = entry.pool().get();
                String client = exchange.get(CtxKeys.CLIENT_IP).map(LuaText::bytes).orElse(exchange.remoteAddress());
                List<String> hash = pool.hashHeader().map(h -> request.headers().all(h)).orElse(List.of());
                Balancer.Choice choice = Balancer.pick(pool, request.headers().all("cookie"), hash,
                        client + "|" + LuaText.bytes(exchange.customer()));
                // the cookie names a live target of the settings: valid UTF-8
                choice.setCookie().ifPresent(c -> exchange.put(CtxKeys.ROUTER_SET_COOKIE, LuaText.ctxText(c).orElseThrow()));
                return use(exchange, config, name, choice.upstream());
            }
            return use(exchange, config, name, route.upstream().orElseThrow());
        }
        exchange.put(CtxKeys.ROUTE, "default");
        config.defaultUpstream().ifPresent(u -> exchange.upstream(LuaText.ctxText(u).orElseThrow()));
        config.routeHeader().ifPresent(h -> request.headers().set(h, "default"));
        return Outcome.proceed();
    }

    @Override
    public Outcome headerFilter(StageExchange exchange, RouterConfig config) {
        // the cookie was decided in access; the upstream's own Set-Cookie headers stay
        exchange.get(CtxKeys.ROUTER_SET_COOKIE)
                .ifPresent(c -> exchange.response().headers().add("Set-Cookie", LuaText.bytes(c)));
        return Outcome.proceed();
    }

    /** ngx.req.set_header: an empty value removes the header, as lua-nginx-module does. */
    private static void setRequestHeader(HeaderFields headers, String name, String value) {
        if (value.isEmpty()) {
            headers.remove(name);
        } else {
            headers.set(name, value);
        }
    }
}
