package dev.graft.host.proxy;

import dev.graft.host.config.GraftConfig.Server;
import java.util.List;

/**
 * Chooses among an upstream's servers by weight with smooth weighted round robin (the scheme
 * nginx uses): over any window of total-weight picks each server is chosen weight times, and
 * picks of a heavy server are spread out rather than bunched. One per upstream per event loop,
 * so it needs no locks.
 */
final class WeightedPicker {

    private final List<Server> servers;
    private final int[] weights;
    private final int[] current;
    private final int total;

    WeightedPicker(List<Server> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("servers: [] (expected: at least one server)");
        }
        this.servers = List.copyOf(servers);
        this.weights = new int[servers.size()];
        this.current = new int[servers.size()];
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.max(1, servers.get(i).weight());
            sum += weights[i];
        }
        this.total = sum;
    }

    Server next() {
        if (weights.length == 1) {
            return servers.get(0);
        }
        int best = 0;
        for (int i = 0; i < weights.length; i++) {
            current[i] += weights[i];
            if (current[i] > current[best]) {
                best = i;
            }
        }
        current[best] -= total;
        return servers.get(best);
    }
}
