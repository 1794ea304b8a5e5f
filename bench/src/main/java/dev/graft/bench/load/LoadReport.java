package dev.graft.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The load run as Markdown tables (for BENCHMARKS.md) and as JSON (every sample). */
final class LoadReport {

    private LoadReport() {}

    static final Map<String, String> LABELS = Map.of(
            "empty", "empty pipeline (raw proxy)",
            "lua", "all-Lua",
            "java", "all-Java (native path)",
            "mix", "half-and-half",
            "nginx", "nginx + lua-nginx-module (peer)");

    static String label(String name) {
        return LABELS.getOrDefault(name, name);
    }

    static String markdown(LoadBench.Results r) {
        LoadBench.Options o = r.options();
        StringBuilder s = new StringBuilder();
        s.append("## End to end (load over loopback)\n\n");
        s.append(String.format(Locale.ROOT, """
                Each configuration is its own process, all started at once behind the same nginx origin \
                (1 worker, 1 KiB answer to every request) and measured interleaved: repetition 1 of every \
                configuration, then repetition 2, and so on (%d repetitions of %d s, after %d s of warm-up each). \
                Load: wrk, 1 thread, %d keep-alive connections, the demo mix (%s) of %d request kinds over the \
                three demo customers. JVMs: `%s` (one CPU for the JVM, hence one event loop); nginx: one worker. \
                CPU is user + system time of the whole process (every thread; nginx: master + worker) from \
                /proc/PID/stat over the run; allocation from the JVM's own count of bytes allocated by all \
                threads. Numbers are medians with [min–max] over the repetitions.
                
                """, o.reps(), o.seconds(), o.warmup(), o.connections(), RequestMix.describe(),
                RequestMix.ENTRIES.size(), String.join(" ", LoadBench.JVM_FLAGS)));
        if (!r.unavailable().isEmpty()) {
            s.append("Not available yet in this run:\n\n");
            r.unavailable().forEach((k, v) -> s.append("- ").append(label(k)).append(": ").append(v).append('\n'));
            s.append('\n');
        }

        s.append("### Throughput at saturation\n\n");
        s.append("| configuration | requests/s | CPU µs/request | CPU s per 1,000 requests | allocated/request | p50 | p99 | socket errors | non-2xx/3xx |\n");
        s.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String name : r.order()) {
            List<LoadBench.Sample> l = r.saturation().get(name);
            s.append("| ").append(label(name))
                    .append(" | ").append(spread(l, LoadBench.Sample::rps, "%.0f"))
                    .append(" | ").append(spread(l, LoadBench.Sample::cpuMicrosPerRequest, "%.1f"))
                    .append(" | ").append(spread(l, x -> x.cpuMicrosPerRequest() / 1000, "%.4f"))
                    .append(" | ").append(l.get(0).allocatedBytes() < 0 ? "–"
                            : spread(l, x -> x.allocPerRequest() / 1024, "%.1f") + " KiB")
                    .append(" | ").append(spread(l, x -> x.wrk().p50() / 1000.0, "%.2f")).append(" ms")
                    .append(" | ").append(spread(l, x -> x.wrk().p99() / 1000.0, "%.2f")).append(" ms")
                    .append(" | ").append(l.stream().mapToLong(x -> x.wrk().errors()).sum())
                    .append(" | ").append(spread(l, x -> 100.0 * x.wrk().non2xx3xx() / Math.max(1, x.wrk().requests()), "%.1f"))
                    .append("% |\n");
        }

        s.append(String.format(Locale.ROOT, "%n### Latency at a fixed offered load of %.0f requests/s%n%n", r.rate()));
        s.append(String.format(Locale.ROOT, """
                %.0f%% of the slowest configuration's median saturation throughput in this run; each \
                connection waits a random (exponential, mean %.1f ms) time between requests, so the load \
                is the same for every configuration.
                
                """, 100 * o.rateFraction(), r.meanDelayMs()));
        s.append("| configuration | achieved requests/s | p50 | p99 | p99.9 | CPU s per 1,000 requests |\n");
        s.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (String name : r.order()) {
            List<LoadBench.Sample> l = r.fixed().get(name);
            s.append("| ").append(label(name))
                    .append(" | ").append(spread(l, LoadBench.Sample::rps, "%.0f"))
                    .append(" | ").append(spread(l, x -> x.wrk().p50() / 1000.0, "%.2f")).append(" ms")
                    .append(" | ").append(spread(l, x -> x.wrk().p99() / 1000.0, "%.2f")).append(" ms")
                    .append(" | ").append(spread(l, x -> x.wrk().p999() / 1000.0, "%.2f")).append(" ms")
                    .append(" | ").append(spread(l, x -> x.cpuMicrosPerRequest() / 1000, "%.4f"))
                    .append(" |\n");
        }

        s.append("\n### Memory after the run\n\n");
        s.append("| configuration | live heap after a full GC | resident set (nginx: the worker) |\n| --- | ---: | ---: |\n");
        for (String name : r.order()) {
            LoadBench.Memory m = r.memory().get(name);
            s.append("| ").append(label(name)).append(" | ")
                    .append(m.heapAfterGcBytes() < 0 ? "–" : String.format(Locale.ROOT, "%.1f MiB", m.heapAfterGcBytes() / 1048576.0))
                    .append(" | ").append(String.format(Locale.ROOT, "%.1f MiB", m.rssBytes() / 1048576.0)).append(" |\n");
        }

        s.append("\n### Ratios against the targets\n\n");
        s.append("Each ratio is taken within a repetition (configurations measured side by side), then the median "
                + "[min–max] over repetitions. Targets are reported against, not asserted.\n\n");
        s.append("| comparison | ratio | target |\n| --- | ---: | --- |\n");
        ratio(s, r, "CPU per request, all-Java / all-Lua", "java", "lua", r.saturation(),
                LoadBench.Sample::cpuMicrosPerRequest, "≤ 0.5");
        ratio(s, r, "throughput, all-Java / all-Lua", "java", "lua", r.saturation(), LoadBench.Sample::rps, "≥ 2");
        ratio(s, r, "p99 at fixed load, all-Java / all-Lua", "java", "lua", r.fixed(), x -> x.wrk().p99(), "< 1");
        ratio(s, r, "allocation per request, all-Java / all-Lua", "java", "lua", r.saturation(),
                LoadBench.Sample::allocPerRequest, "≤ 0.5");
        ratio(s, r, "throughput, all-Java / empty pipeline", "java", "empty", r.saturation(), LoadBench.Sample::rps,
                "≥ 0.85 (within 15%)");
        ratio(s, r, "CPU per request, all-Java / nginx", "java", "nginx", r.saturation(),
                LoadBench.Sample::cpuMicrosPerRequest, "≤ 1");
        ratio(s, r, "CPU per request, all-Lua / nginx", "lua", "nginx", r.saturation(),
                LoadBench.Sample::cpuMicrosPerRequest, "≤ 2.5");
        ratio(s, r, "throughput, all-Lua / empty pipeline", "lua", "empty", r.saturation(), LoadBench.Sample::rps, "–");
        ratio(s, r, "CPU per request, empty pipeline / nginx", "empty", "nginx", r.saturation(),
                LoadBench.Sample::cpuMicrosPerRequest, "–");
        ratio(s, r, "CPU per request, half-and-half / all-Lua", "mix", "lua", r.saturation(),
                LoadBench.Sample::cpuMicrosPerRequest, "–");

        s.append("\n### Statuses the mix got (a 3 s run per configuration after its warm-up)\n\n");
        s.append("| configuration | statuses (count) |\n| --- | --- |\n");
        for (String name : r.order()) {
            s.append("| ").append(label(name)).append(" | ").append(r.statuses().get(name).toString()).append(" |\n");
        }
        return s.toString();
    }

    private static void ratio(StringBuilder s, LoadBench.Results r, String what, String a, String b,
            Map<String, List<LoadBench.Sample>> samples, ToDoubleFunction<LoadBench.Sample> f, String target) {
        s.append("| ").append(what).append(" | ");
        List<LoadBench.Sample> la = samples.get(a);
        List<LoadBench.Sample> lb = samples.get(b);
        if (la == null || lb == null) {
            String missing = la == null ? a : b;
            s.append(r.unavailable().containsKey(missing) ? "not available yet" : "not measured");
        } else {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
                double x = f.applyAsDouble(la.get(i));
                double y = f.applyAsDouble(lb.get(i));
                if (x >= 0 && y > 0) {
                    ratios.add(x / y);
                }
            }
            s.append(ratios.isEmpty() ? "n/a" : Stats.spread(ratios.stream().mapToDouble(Double::doubleValue).toArray(), "%.2f"));
        }
        s.append(" | ").append(target).append(" |\n");
    }

    private static String spread(List<LoadBench.Sample> l, ToDoubleFunction<LoadBench.Sample> f, String format) {
        return Stats.spread(l.stream().mapToDouble(f).toArray(), format);
    }

    static String json(LoadBench.Results r) throws com.fasterxml.jackson.core.JsonProcessingException {
        ObjectNode root = LoadBench.JSON.createObjectNode();
        root.put("rate", r.rate());
        root.put("mean_delay_ms", r.meanDelayMs());
        ObjectNode un = root.putObject("unavailable");
        r.unavailable().forEach(un::put);
        ObjectNode configs = root.putObject("configurations");
        for (String name : r.order()) {
            ObjectNode c = configs.putObject(name);
            c.set("statuses", r.statuses().get(name));
            samples(c.putArray("saturation"), r.saturation().get(name));
            samples(c.putArray("fixed"), r.fixed().get(name));
            LoadBench.Memory m = r.memory().get(name);
            c.put("heap_after_gc_bytes", m.heapAfterGcBytes()).put("rss_bytes", m.rssBytes());
        }
        ArrayNode cmds = root.putArray("commands");
        r.commands().forEach(cmds::add);
        return LoadBench.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static void samples(ArrayNode into, List<LoadBench.Sample> l) {
        for (LoadBench.Sample x : l) {
            into.addObject().put("requests", x.wrk().requests()).put("duration_us", x.wrk().durationMicros())
                    .put("rps", x.rps()).put("cpu_seconds", x.cpuSeconds()).put("allocated_bytes", x.allocatedBytes())
                    .put("p50_us", x.wrk().p50()).put("p90_us", x.wrk().p90()).put("p99_us", x.wrk().p99())
                    .put("p999_us", x.wrk().p999()).put("errors", x.wrk().errors())
                    .put("non_2xx_3xx", x.wrk().non2xx3xx());
        }
    }
}
