package dev.graft.modules.router;

import dev.graft.modules.lua.LuaText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of {@code routes}: conditions (hosts, methods, prefix, regex; absent matches
 * anything) and one action, tried in this order: maintenance, bucket, pool, upstream.
 *
 * @param name        the route's name ({@code ngx.ctx.route}); default route-&lt;position&gt;
 * @param hosts       host names, case-insensitive; absent: any host
 * @param methods     request methods, exact; absent: any method
 * @param prefix      path prefix; "" is none
 * @param regex       ngx.re pattern on the path; "" is none
 * @param upstream    the upstream (also the store's upstream of a bucket route)
 * @param pool        the name of a pool
 * @param bucket      the object-store bucket (needs a prefix)
 * @param keepQuery   bucket routes: forward the query; default false
 * @param stripPrefix upstream and pool routes: remove the prefix from the path; default false
 * @param maintenance answer 503 with this page
 */
public record Route(Optional<String> name, Optional<List<String>> hosts, Optional<List<String>> methods,
        Optional<String> prefix, Optional<RouteRegex> regex, Optional<String> upstream, Optional<String> pool,
        Optional<String> bucket, Optional<Boolean> keepQuery, Optional<Boolean> stripPrefix,
        Optional<Maintenance> maintenance) {

    /** A {@code routes} element that is not an object; never used. */
    static final Route NOT_AN_OBJECT = new Route(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    public Route {
        name = LuaText.orEmpty(name).map(LuaText::bytes);
        hosts = LuaText.orEmpty(hosts).map(l -> set(l, true));
        methods = LuaText.orEmpty(methods).map(l -> set(l, false));
        prefix = LuaText.nonEmpty(prefix);
        regex = LuaText.orEmpty(regex).filter(r -> !r.source().isEmpty());
        upstream = LuaText.orEmpty(upstream).map(LuaText::bytes);
        pool = LuaText.orEmpty(pool).map(LuaText::bytes);
        bucket = LuaText.nonEmpty(bucket);
        keepQuery = LuaText.orEmpty(keepQuery);
        stripPrefix = LuaText.orEmpty(stripPrefix);
        maintenance = LuaText.orEmpty(maintenance);
    }

    /** A string where a route object belongs (Jackson binds it here): the route is ignored. */
    public static Route valueOf(String notAnObject) {
        return NOT_AN_OBJECT;
    }

    private static List<String> set(List<String> list, boolean lower) {
        List<String> out = new ArrayList<>(list.size());
        for (String v : list) {
            if (v != null) {
                out.add(lower ? LuaText.asciiLower(LuaText.bytes(v)) : LuaText.bytes(v));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The route's name at {@code position} (1-based). */
    String nameAt(int position) {
        return name.orElse("route-" + position);
    }

    /**
     * Why the Lua module ignores this route (its log line without the "router: " and
     * ", route ignored"), empty when usable.
     */
    Optional<String> unusable(int position, Map<String, Pool> pools) {
        String field = "routes[" + position + "]";
        if (this == NOT_AN_OBJECT) {
            return Optional.of(field + ": not an object");
        }
        if (regex.isPresent() && regex.get().error().isPresent()) {
            return Optional.of(field + ".regex: " + regex.get().source() + " (expected: a regex; "
                    + regex.get().error().get() + ")");
        }
        if (maintenance.isPresent()) {
            return Optional.empty();
        }
        if (bucket.isPresent()) {
            return prefix.isPresent() ? Optional.empty()
                    : Optional.of(field + ".prefix: missing (expected: a bucket route maps <prefix><key>)");
        }
        if (pool.isPresent()) {
            Pool p = pools.get(pool.get());
            return p != null && p.unusable(pool.get()).isEmpty() ? Optional.empty()
                    : Optional.of(field + ".pool: " + pool.get() + " (expected: the name of a usable pool in pools)");
        }
        if (upstream.filter(u -> !u.isEmpty()).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(field + ": no action (expected: upstream, pool, bucket or maintenance)");
    }

    boolean matches(String host, String method, String uri) {
        if (hosts.isPresent() && !hosts.get().contains(host)) {
            return false;
        }
        if (methods.isPresent() && !methods.get().contains(method)) {
            return false;
        }
        if (prefix.isPresent() && !uri.startsWith(prefix.get())) {
            return false;
        }
        return regex.isEmpty() || regex.get().find(uri);
    }
}
