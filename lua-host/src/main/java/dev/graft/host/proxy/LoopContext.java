package dev.graft.host.proxy;

import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.GraftConfig.UpstreamConfig;
import dev.graft.host.exchange.RequestPipeline;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What the connections of one event loop share: the loop's pipeline, its upstream pool and its
 * weighted pickers. Confined to the loop's thread, so none of it needs locks.
 */
final class LoopContext {

    static final long DEFAULT_MAX_BUFFERED_BODY = 1024 * 1024;
    static final long DEFAULT_READ_TIMEOUT_MS = 60_000;

    private final GraftConfig config;
    private final RequestPipeline pipeline;
    private final UpstreamPool pool;
    private final GraftMetrics metrics;
    private final BooleanSupplier draining;
    private final String defaultUpstream;
    private final Map<String, WeightedPicker> pickers = new HashMap<>();
    private final dev.graft.host.record.RequestRecorder recorder;
    private final dev.graft.host.log.AccessLog accessLog;

    LoopContext(GraftConfig config, RequestPipeline pipeline, UpstreamPool pool, GraftMetrics metrics, BooleanSupplier draining) {
        this.config = config;
        this.pipeline = new ContainedPipeline(pipeline);
        this.pool = pool;
        this.metrics = metrics;
        this.draining = draining;
        this.defaultUpstream = config.defaultUpstream();
        this.recorder = dev.graft.host.record.RequestRecorder.of(config);
        this.accessLog = dev.graft.host.log.AccessLog.of(config); // off unless logging.access_log says where
    }

    GraftConfig config() { return config; }
    RequestPipeline pipeline() { return pipeline; }
    UpstreamPool pool() { return pool; }
    GraftMetrics metrics() { return metrics; }
    String defaultUpstream() { return defaultUpstream; }
    dev.graft.host.record.RequestRecorder recorder() { return recorder; }
    dev.graft.host.log.AccessLog accessLog() { return accessLog; }

    /** Whether the server is draining: connections close after their current response. */
    boolean draining() {
        return draining.getAsBoolean();
    }

    long maxBufferedBody() {
        long max = config.limits().maxBufferedBodyBytes();
        return max > 0 ? max : DEFAULT_MAX_BUFFERED_BODY;
    }

    WeightedPicker picker(String name, UpstreamConfig upstream) {
        return pickers.computeIfAbsent(name, n -> new WeightedPicker(upstream.servers()));
    }
}
