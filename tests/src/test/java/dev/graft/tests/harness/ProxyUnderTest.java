package dev.graft.tests.harness;

import java.net.InetSocketAddress;

/** A proxy the harness sends requests to: real nginx, or Graft in this process. */
public interface ProxyUnderTest extends AutoCloseable {

    /** A short name for messages: "nginx", "graft". */
    String name();

    InetSocketAddress address();

    /** A position in the proxy's log, to show only what a case wrote. */
    long logMark();

    /** The proxy's log lines written since the mark (trimmed to the last lines); empty if it keeps none. */
    String logSince(long mark);

    @Override
    void close();
}
