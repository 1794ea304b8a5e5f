package dev.graft.modules.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The usable routes of a settings table, in order, as the Lua module's compile() keeps them:
 * each with its name resolved and, for a pool route, the pool's live targets, cumulative
 * weights and cookie worked out once. Built when the settings are bound, so a request only
 * matches and picks.
 *
 * @param entries the usable routes, in configured order
 */
public record RouteTable(List<Entry> entries) {

    public RouteTable {
        entries = List.copyOf(entries);
    }

    /**
     * A usable route.
     *
     * @param name  its name ({@code route-<position>} by default)
     * @param route the route
     * @param pool  the pool it picks from, for a pool route
     */
    public record Entry(String name, Route route, Optional<PoolPlan> pool) {}

    /**
     * A pool, compiled: what balancer.compile returns.
     *
     * @param slots            live targets with their cumulative weights, in order
     * @param cookie           the sticky cookie's name, when sticky
     * @param cookieAttributes what follows {@code name=value} in the Set-Cookie
     * @param hashHeader       the lower-case header whose value is the key, when configured
     */
    public record PoolPlan(List<Pool.Slot> slots, Optional<String> cookie, String cookieAttributes,
            Optional<String> hashHeader) {

        public PoolPlan {
            slots = List.copyOf(slots);
        }

        static PoolPlan of(String name, Pool pool) {
            return new PoolPlan(pool.slots(), pool.cookieName(name), pool.cookieAttributes(), pool.hashHeader());
        }

        long total() {
            return slots.get(slots.size() - 1).upto();
        }

        boolean live(String upstream) {
            for (Pool.Slot s : slots) {
                if (s.upstream().equals(upstream)) {
                    return true;
                }
            }
            return false;
        }
    }

    static RouteTable of(List<Route> routes, Map<String, Pool> pools) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            if (r == null || r.unusable(i + 1, pools).isPresent()) {
                continue;
            }
            Optional<PoolPlan> pool = Optional.empty();
            if (r.maintenance().isEmpty() && r.bucket().isEmpty() && r.pool().isPresent()) {
                pool = Optional.of(PoolPlan.of(r.pool().get(), pools.get(r.pool().get())));
            }
            out.add(new Entry(r.nameAt(i + 1), r, pool));
        }
        return new RouteTable(out);
    }
}
