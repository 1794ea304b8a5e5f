package dev.graft.tests.harness;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The harness's upstreams, running on loopback: {@code origin-a} and {@code origin-b} (echo
 * origins) and {@code bucket} (an object store), as legacy-scripts/README.md names them.
 */
public interface Origins extends AutoCloseable {

    /** Each upstream's address, by upstream name. */
    Map<String, InetSocketAddress> addresses();

    @Override
    void close();
}
