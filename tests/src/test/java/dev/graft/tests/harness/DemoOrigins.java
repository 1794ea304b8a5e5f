package dev.graft.tests.harness;

import dev.graft.host.demo.DemoOrigin;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The harness's upstreams as Graft's demo origins: echo {@code origin-a} and {@code origin-b},
 * and the {@code bucket}, each on a free loopback port. Both proxies of a cross-check talk to
 * these same instances.
 */
public final class DemoOrigins implements Origins {

    private final List<DemoOrigin> origins;

    private DemoOrigins(List<DemoOrigin> origins) {
        this.origins = origins;
    }

    public static DemoOrigins start() {
        DemoOrigin a = DemoOrigin.startEcho("origin-a", "127.0.0.1", 0);
        DemoOrigin b = null;
        try {
            b = DemoOrigin.startEcho("origin-b", "127.0.0.1", 0);
            DemoOrigin bucket = DemoOrigin.startBucket("bucket", "127.0.0.1", 0);
            return new DemoOrigins(List.of(a, b, bucket));
        } catch (RuntimeException e) {
            a.close();
            if (b != null) {
                b.close();
            }
            throw e;
        }
    }

    @Override
    public Map<String, InetSocketAddress> addresses() {
        Map<String, InetSocketAddress> out = new LinkedHashMap<>();
        for (DemoOrigin o : origins) {
            out.put(o.name(), o.address());
        }
        return out;
    }

    @Override
    public void close() {
        origins.forEach(DemoOrigin::close);
    }
}
