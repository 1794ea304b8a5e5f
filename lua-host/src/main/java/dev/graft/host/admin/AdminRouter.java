package dev.graft.host.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The admin endpoints, fixed at start: finds the route for a method and path. */
public final class AdminRouter {

    private final List<AdminRoute> routes;

    public AdminRouter(List<AdminRoute> routes) {
        this.routes = List.copyOf(requireNonNull(routes, "routes"));
    }

    /** The route for this method and path (the query string is ignored). */
    public Optional<AdminRoute> find(HttpMethod method, String path) {
        for (AdminRoute r : routes) {
            if (r.path().equals(path) && (r.method().equals(method)
                    || method.equals(HttpMethod.HEAD) && r.method().equals(HttpMethod.GET))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The methods served on a path, for a 405's {@code Allow} header; empty if none. */
    public String allowed(String path) {
        return routes.stream().filter(r -> r.path().equals(path)).map(r -> r.method().name())
                .distinct().collect(Collectors.joining(", "));
    }

    public List<AdminRoute> routes() {
        return routes;
    }
}
