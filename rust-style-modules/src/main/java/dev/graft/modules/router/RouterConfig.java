package dev.graft.modules.router;

import dev.graft.modules.lua.ConfigProblems;
import dev.graft.modules.lua.LuaText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code router} settings of a customer (legacy-scripts/router/README.md) with the Lua
 * module's defaults; JSON {@code null} is absent. Routes and pool targets the Lua module logs
 * and skips stay in the lists and are skipped here too; {@link #problems()} words them as its
 * log lines.
 *
 * @param routes          tried in order, the first match decides
 * @param pools           origin pools by name
 * @param defaultUpstream upstream when no route matches; absent (also "") nginx's default
 * @param maintenance     a customer-wide maintenance page, answered before any route
 * @param routeHeader     request header that carries the route's name upstream; "" is off
 * @param loadProblems    derived, never read from JSON: the lines the Lua module logs when it
 *                        compiles these settings, written once by the first request
 * @param table           derived, never read from JSON: the usable routes, compiled
 */
public record RouterConfig(Optional<List<Route>> routes, Optional<Map<String, Pool>> pools,
        Optional<String> defaultUpstream, Optional<Maintenance> maintenance, Optional<String> routeHeader,
        ConfigProblems loadProblems, RouteTable table) {

    public RouterConfig {
        routes = LuaText.orEmpty(routes).map(l -> Collections.unmodifiableList(new ArrayList<>(l)));
        pools = LuaText.orEmpty(pools).map(m -> Collections.unmodifiableMap(new LinkedHashMap<>(m)));
        defaultUpstream = LuaText.nonEmpty(defaultUpstream);
        maintenance = LuaText.orEmpty(maintenance);
        routeHeader = LuaText.nonEmpty(routeHeader);
        loadProblems = new ConfigProblems(problems(routes.orElse(List.of()), pools.orElse(Map.of())));
        table = RouteTable.of(routes.orElse(List.of()), pools.orElse(Map.of()));
    }

    /** The settings as they come from JSON. */
    public RouterConfig(Optional<List<Route>> routes, Optional<Map<String, Pool>> pools,
            Optional<String> defaultUpstream, Optional<Maintenance> maintenance, Optional<String> routeHeader) {
        this(routes, pools, defaultUpstream, maintenance, routeHeader, null, null);
    }

    /** The settings of {@code "router": {}}. */
    public static RouterConfig defaults() {
        return new RouterConfig(null, null, null, null, null);
    }

    Map<String, Pool> poolMap() {
        return pools.orElse(Map.of());
    }

    /** The lines the Lua module logs at {@code error} when it first compiles these settings: pools, then routes. */
    public List<String> problems() {
        return loadProblems.messages();
    }

    private static List<String> problems(List<Route> list, Map<String, Pool> poolMap) {
        List<String> out = new ArrayList<>();
        poolMap.forEach((name, pool) -> {
            if (pool == null) {
                out.add("router: pools." + name + ".targets: missing (expected: a list of {upstream, weight})");
                return;
            }
            pool.targetProblems(name, out);
            pool.unusable(name).ifPresent(why -> out.add("router: " + why));
        });
        for (int i = 0; i < list.size(); i++) {
            Route r = list.get(i) == null ? Route.NOT_AN_OBJECT : list.get(i);
            r.unusable(i + 1, poolMap).ifPresent(why -> out.add("router: " + why + ", route ignored"));
        }
        return out;
    }
}
