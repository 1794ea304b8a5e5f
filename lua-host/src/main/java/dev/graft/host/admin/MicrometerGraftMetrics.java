package dev.graft.host.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link GraftMetrics} on a Micrometer {@link PrometheusMeterRegistry}. Meters are created once
 * per tag set and cached in maps keyed by small records, so that a request costs a hash lookup
 * and an increment, never a registry lookup.
 *
 * <p>Meters: {@code graft_requests_total{customer,status}},
 * {@code graft_upstream_latency_seconds{upstream}} (a histogram),
 * {@code graft_upstream_failures_total{upstream,kind}}, {@code graft_lua_errors_total{module}},
 * {@code graft_lua_budget_stops_total{module}}, {@code graft_stage_fallbacks_total{module,reason}},
 * {@code graft_stage_exceptions_total{module}}, {@code graft_lua_entries_total},
 * {@code graft_native_requests_total}, {@code graft_ctx_conversion_failures_total{key}}, plus the JVM basics.
 */
public final class MicrometerGraftMetrics implements GraftMetrics, AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ConcurrentHashMap<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> latency = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<FailureKey, Counter> failures = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> luaErrors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> budgetStops = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<FallbackKey, Counter> fallbacks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> stageExceptions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> ctxFailures = new ConcurrentHashMap<>();
    private final Counter luaEntries;
    private final Counter nativeRequests;

    /** Fixed histogram buckets: few enough to keep a scrape small, spread over what origins do. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30),
    };

    private record RequestKey(String customer, int status) {}

    private record FailureKey(String upstream, String kind) {}

    private record FallbackKey(String module, String reason) {}

    public MicrometerGraftMetrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
        luaEntries = Counter.builder("graft.lua.entries")
                .description("Calls from the host into a Lua VM (driver phases, Lua stages on the native path)")
                .register(registry);
        nativeRequests = Counter.builder("graft.native.requests")
                .description("Requests whose pipeline ran in Java without the Lua driver")
                .register(registry);
    }

    /** The registry, for the admin listener's scrape. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The current metrics in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void requestServed(String customer, int status) {
        requests.computeIfAbsent(new RequestKey(tag(customer), status), k -> Counter.builder("graft.requests")
                .description("Responses sent to clients")
                .tag("customer", k.customer())
                .tag("status", Integer.toString(k.status()))
                .register(registry)).increment();
    }

    @Override
    public void upstreamLatency(String upstream, long nanos) {
        latency.computeIfAbsent(tag(upstream), u -> Timer.builder("graft.upstream.latency")
                .description("Time from sending a request upstream to its response head")
                .tag("upstream", u)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void upstreamFailure(String upstream, String kind) {
        failures.computeIfAbsent(new FailureKey(tag(upstream), tag(kind)), k -> Counter.builder("graft.upstream.failures")
                .description("Upstream requests that failed, by kind: connect, reset, timeout, refused")
                .tag("upstream", k.upstream())
                .tag("kind", k.kind())
                .register(registry)).increment();
    }

    @Override
    public void luaError(String module) {
        luaErrors.computeIfAbsent(tag(module), m -> Counter.builder("graft.lua.errors")
                .description("Lua stage errors contained as a 500")
                .tag("module", m)
                .register(registry)).increment();
    }

    @Override
    public void budgetStop(String module) {
        budgetStops.computeIfAbsent(tag(module), m -> Counter.builder("graft.lua.budget.stops")
                .description("Lua stages stopped by their instruction budget")
                .tag("module", m)
                .register(registry)).increment();
    }

    @Override
    public void stageFallback(String module, String reason) {
        fallbacks.computeIfAbsent(new FallbackKey(tag(module), tag(reason)), k -> Counter.builder("graft.stage.fallbacks")
                .description("Java stages handed to their Lua handler, by module and reason")
                .tag("module", k.module())
                .tag("reason", k.reason())
                .register(registry)).increment();
    }

    @Override
    public void stageException(String module) {
        stageExceptions.computeIfAbsent(tag(module), m -> Counter.builder("graft.stage.exceptions")
                .description("Java stages that threw; contained, the Lua handler ran instead")
                .tag("module", m)
                .register(registry)).increment();
    }

    @Override
    public void ctxConversionFailure(String key) {
        ctxFailures.computeIfAbsent(tag(key), k -> Counter.builder("graft.ctx.conversion.failures")
                .description("ngx.ctx reads by Java stages of a Lua value without the key's shape")
                .tag("key", k)
                .register(registry)).increment();
    }

    @Override
    public void luaEntry() {
        luaEntries.increment();
    }

    @Override
    public void nativeRequest() {
        nativeRequests.increment();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private static String tag(String value) {
        return value == null || value.isEmpty() ? "none" : value;
    }
}
