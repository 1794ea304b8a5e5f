package dev.graft.bench.load;

import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline;
import dev.graft.host.proxy.ProxyServer;
import java.nio.file.Path;

/**
 * The empty pipeline: Graft's proxy with no stage at all, every request sent to the default
 * upstream. The ceiling the other configurations are measured against, until the dispatch can
 * express an empty all-Java pipeline through the config. Usage: {@code RawProxyMain CONFIG}.
 */
public final class RawProxyMain {

    private RawProxyMain() {}

    public static void main(String[] args) throws InterruptedException {
        GraftConfig config = switch (ConfigLoader.load(Path.of(args[0]))) {
            case ConfigResult.Valid v -> v.config();
            case ConfigResult.Invalid i -> throw new IllegalArgumentException("config: " + i.errors());
        };
        String upstream = config.defaultUpstream();
        ProxyServer.start(config, loop -> new Empty(upstream), GraftMetrics.NONE);
        System.out.println("raw proxy on " + config.listen().host() + ":" + config.listen().port());
        System.out.flush();
        Thread.currentThread().join(); // until the harness kills the process
    }

    /** Proxies every request to one upstream and does nothing else. */
    private record Empty(String upstream) implements RequestPipeline {
        @Override
        public boolean wantsBody(Exchange exchange) {
            return false;
        }

        @Override
        public Verdict onRequest(Exchange exchange) {
            exchange.upstream(upstream);
            return Verdict.PROXY;
        }

        @Override
        public void onResponseHead(Exchange exchange) {}

        @Override
        public boolean filtersBody(Exchange exchange) {
            return false;
        }

        @Override
        public byte[] onResponseBody(Exchange exchange, byte[] chunk, boolean last) {
            return chunk;
        }

        @Override
        public void onLog(Exchange exchange) {}
    }
}
