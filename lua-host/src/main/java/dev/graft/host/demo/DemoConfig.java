package dev.graft.host.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Points a config's upstreams at running demo origins: each upstream named like an origin
 * ({@code origin-a}, {@code origin-b}, {@code bucket}) gets that origin's address as its only
 * server. The demo command and the cross-check tests use it on legacy-scripts/graft.json.
 */
public final class DemoConfig {

    private DemoConfig() {}

    /** A copy of {@code raw} whose upstreams named in {@code origins} point at those addresses. */
    public static ObjectNode pointAt(ObjectNode raw, Map<String, InetSocketAddress> origins) {
        requireNonNull(raw, "raw");
        requireNonNull(origins, "origins");
        ObjectNode copy = raw.deepCopy();
        if (!(copy.get("upstreams") instanceof ObjectNode upstreams)) {
            return copy;
        }
        origins.forEach((name, address) -> {
            if (upstreams.get(name) instanceof ObjectNode upstream) {
                ArrayNode servers = upstream.putArray("servers");
                servers.addObject().put("address", address.getHostString() + ":" + address.getPort()).put("weight", 1);
            }
        });
        return copy;
    }
}
