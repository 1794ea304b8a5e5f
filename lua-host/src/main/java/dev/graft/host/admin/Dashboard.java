package dev.graft.host.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.Rollout;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The migration dashboard on the admin listener: {@code GET /dashboard} is one self-contained
 * page (no external assets) that polls {@code GET /dashboard/data} and, when the rollout API is
 * there, {@code GET /rollout}; it draws small charts from the samples it has polled.
 *
 * <p>The data is read from what the process already has: each pipeline module's mode and
 * per-customer overrides from the running config, the parity verdicts from the last parity
 * report ({@link ParityReportFile}), and counters from the metrics registry, matched by a
 * {@code module} tag and the meter's name (fallback, exception, mismatch, comparison,
 * rollback; a timer tagged with an implementation lua/java gives the latency). Matching by
 * name keeps the page working as the rollout metrics grow; a number nobody records yet is
 * shown as absent, not as zero.
 */
public final class Dashboard {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> IMPL_TAGS = List.of("impl", "implementation", "side");

    private final Supplier<GraftConfig> config;
    private final MicrometerGraftMetrics metrics;
    private final ParityReportFile parity;
    private final byte[] page;

    public Dashboard(Supplier<GraftConfig> config, MicrometerGraftMetrics metrics) {
        this(config, metrics, ParityReportFile.fromSystemProperty());
    }

    public Dashboard(Supplier<GraftConfig> config, MicrometerGraftMetrics metrics, ParityReportFile parity) {
        this.config = requireNonNull(config, "config");
        this.metrics = requireNonNull(metrics, "metrics");
        this.parity = requireNonNull(parity, "parity");
        try (InputStream in = Dashboard.class.getResourceAsStream("dashboard.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard.html missing from the jar (a build bug)");
            }
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET /dashboard} and {@code GET /dashboard/data}, read-only. */
    public List<AdminRoute> routes() {
        return List.of(
                AdminRoute.read(HttpMethod.GET, "/dashboard", request ->
                        new AdminResponse(200, "text/html; charset=utf-8", page)),
                AdminRoute.read(HttpMethod.GET, "/dashboard/data", request -> AdminResponse.json(200, data().toString())));
    }

    /** One sample of everything the page shows. */
    ObjectNode data() {
        GraftConfig c = config.get();
        ObjectNode root = JSON.createObjectNode();
        root.put("time_ms", System.currentTimeMillis());
        ParityReportFile.Verdicts verdicts = parity.read();
        ObjectNode p = root.putObject("parity_report");
        p.put("path", parity.path().toString());
        p.put("found", verdicts.found());
        verdicts.modified().ifPresent(t -> p.put("modified", t.toString()));
        Map<String, ModuleNumbers> numbers = numbers();
        double requests = 0;
        for (Meter m : metrics.registry().getMeters()) {
            if (m instanceof Counter counter && m.getId().getName().equals("graft.requests")) {
                requests += counter.count();
            }
        }
        root.put("requests", (long) requests);
        ArrayNode modules = root.putArray("modules");
        for (GraftConfig.PipelineStage stage : c.pipeline()) {
            String name = stage.module();
            ObjectNode m = modules.addObject();
            m.put("name", name);
            Rollout.ModuleRollout r = c.rollout().modules().get(name);
            m.put("mode", r == null ? Rollout.Mode.LUA.configName() : r.mode().configName());
            ObjectNode overrides = m.putObject("customers");
            if (r != null) {
                r.customers().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> overrides.put(e.getKey(), e.getValue().configName()));
            }
            m.put("parity", verdicts.byModule().getOrDefault(name, verdicts.found() ? "not in report" : "no report"));
            numbers.getOrDefault(name, new ModuleNumbers()).write(m);
        }
        return root;
    }

    /** Counters and timers per module tag, summed over their other tags. */
    private Map<String, ModuleNumbers> numbers() {
        Map<String, ModuleNumbers> byModule = new HashMap<>();
        for (Meter meter : metrics.registry().getMeters()) {
            String module = meter.getId().getTag("module");
            if (module == null) {
                continue;
            }
            String name = meter.getId().getName().toLowerCase(Locale.ROOT);
            ModuleNumbers n = byModule.computeIfAbsent(module, k -> new ModuleNumbers());
            if (meter instanceof Counter counter) {
                double v = counter.count();
                if (name.contains("fallback")) {
                    n.fallbacks = add(n.fallbacks, v);
                } else if (name.contains("exception")) {
                    n.exceptions = add(n.exceptions, v);
                } else if (name.contains("mismatch")) {
                    n.mismatches = add(n.mismatches, v);
                } else if (name.contains("comparison") || name.contains("compared")) {
                    n.comparisons = add(n.comparisons, v);
                } else if (name.contains("rollback")) {
                    n.rollbacks = add(n.rollbacks, v);
                } else if (name.contains("call")) {
                    n.calls = add(n.calls, v);
                }
            } else if (meter instanceof Timer timer) {
                String impl = implementation(meter);
                if (impl.equals("lua") || impl.equals("java")) {
                    n.add(impl, timer.count(), timer.totalTime(TimeUnit.MICROSECONDS));
                }
                n.calls = add(n.calls, timer.count());
            }
        }
        return byModule;
    }

    private static String implementation(Meter meter) {
        for (String tag : IMPL_TAGS) {
            String v = meter.getId().getTag(tag);
            if (v != null) {
                return v.toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }

    private static Double add(Double sum, double v) {
        return sum == null ? v : sum + v;
    }

    /** What the registry knows of one module; null fields: nobody records that number (yet). */
    private static final class ModuleNumbers {
        Double calls;
        Double fallbacks;
        Double exceptions;
        Double mismatches;
        Double comparisons;
        Double rollbacks;
        final double[] luaTimer = new double[2];
        final double[] javaTimer = new double[2];

        void add(String impl, long count, double totalMicros) {
            double[] t = impl.equals("lua") ? luaTimer : javaTimer;
            t[0] += count;
            t[1] += totalMicros;
        }

        void write(ObjectNode m) {
            put(m, "calls", calls);
            put(m, "fallbacks", fallbacks);
            put(m, "exceptions", exceptions);
            put(m, "shadow_mismatches", mismatches);
            put(m, "shadow_comparisons", comparisons);
            put(m, "rollbacks", rollbacks);
            put(m, "lua_mean_us", luaTimer[0] == 0 ? null : luaTimer[1] / luaTimer[0]);
            put(m, "java_mean_us", javaTimer[0] == 0 ? null : javaTimer[1] / javaTimer[0]);
        }

        private static void put(ObjectNode m, String field, Double v) {
            if (v == null) {
                m.putNull(field);
            } else {
                m.put(field, v);
            }
        }
    }

    /** The parity report folder's default, for callers that show it. */
    public static Path defaultParityReport() {
        return ParityReportFile.DEFAULT;
    }
}
