package dev.graft.host.admin;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;

/**
 * One admin endpoint: method, exact path, whether it changes anything (then it needs the
 * bearer token), and what answers it.
 */
public record AdminRoute(HttpMethod method, String path, boolean mutating, Endpoint endpoint) {

    public AdminRoute {
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        requireNonNull(endpoint, "endpoint");
    }

    /** A read-only endpoint, open to anyone who can reach the admin listener. */
    public static AdminRoute read(HttpMethod method, String path, Endpoint endpoint) {
        return new AdminRoute(method, path, false, endpoint);
    }

    /** An endpoint that changes state: it requires {@code Authorization: Bearer <token>}. */
    public static AdminRoute mutating(HttpMethod method, String path, Endpoint endpoint) {
        return new AdminRoute(method, path, true, endpoint);
    }

    /** Answers one request; runs on the admin event loop and must not block for long. */
    @FunctionalInterface
    public interface Endpoint {
        AdminResponse handle(FullHttpRequest request);
    }
}
