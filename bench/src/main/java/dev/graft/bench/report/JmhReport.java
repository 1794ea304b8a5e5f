package dev.graft.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.graft.bench.stage.JavaStages;
import dev.graft.bench.stage.StageInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The JMH part of BENCHMARKS.md, from JMH's JSON result ({@code -rf json}, with {@code -prof gc}):
 * each module's Lua and Java stage side by side, and the bridge's costs with the differences
 * that answer the targets. Usage: {@code JmhReport JMH.json OUT.md}.
 */
public final class JmhReport {

    private JmhReport() {}

    /** One benchmark's result: the median of its iterations, their range, and bytes allocated per op. */
    record Score(double median, double min, double max, Optional<Double> bytesPerOp) {
        String ns() {
            return min == max ? fmt(median) : fmt(median) + " [" + fmt(min) + "–" + fmt(max) + "]";
        }

        String bytes() {
            return bytesPerOp.map(b -> String.format(Locale.ROOT, "%.0f", b)).orElse("–");
        }
    }

    public static void main(String[] args) throws IOException {
        JsonNode root = new JsonMapper().readTree(Path.of(args[0]).toFile());
        Map<String, Score> scores = new LinkedHashMap<>();
        for (JsonNode b : root) {
            StringBuilder key = new StringBuilder(b.get("benchmark").asText().replace("dev.graft.bench.", ""));
            // params sorted by name: "input=... module=..."
            Map<String, String> params = new java.util.TreeMap<>();
            b.path("params").properties().forEach(p -> params.put(p.getKey(), p.getValue().asText()));
            params.forEach((k, v) -> key.append(' ').append(k).append('=').append(v));
            scores.put(key.toString(), score(b));
        }
        Files.writeString(Path.of(args[1]), markdown(scores));
    }

    private static Score score(JsonNode b) {
        List<Double> raw = new ArrayList<>();
        for (JsonNode fork : b.path("primaryMetric").path("rawData")) {
            for (JsonNode v : fork) {
                raw.add(v.asDouble());
            }
        }
        double[] v = raw.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = v.length == 0 ? Double.NaN
                : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        JsonNode alloc = b.path("secondaryMetrics").path("gc.alloc.rate.norm");
        Optional<Double> bytes = alloc.isMissingNode() ? Optional.empty() : Optional.of(alloc.path("score").asDouble());
        return new Score(median, v.length == 0 ? Double.NaN : v[0], v.length == 0 ? Double.NaN : v[v.length - 1], bytes);
    }

    /** The exchange builds' medians over the stage inputs, as {@code min–max}. */
    private static String buildRange(Map<String, Score> s) {
        DoubleSummaryStatistics builds = s.entrySet().stream()
                .filter(e -> e.getKey().startsWith("stage.ExchangeBuildBench.build"))
                .mapToDouble(e -> e.getValue().median()).summaryStatistics();
        return builds.getCount() == 0 ? "?"
                : String.format(Locale.ROOT, "%,.0f–%,.0f", builds.getMin(), builds.getMax());
    }

    static String markdown(Map<String, Score> s) {
        StringBuilder out = new StringBuilder();
        out.append("## Per stage (JMH)\n\n");
        out.append("""
                Each module's handler with its demo settings (legacy-scripts/graft.json), on a fresh exchange per \
                operation, through the phases it implements (request phases, then a 200 origin head, header_filter, \
                log). `clean`: a request the module lets through; `hit`: one it acts on (blocks, redirects, limits, \
                rewrites, answers). ns/op: median of the measurement iterations [min–max]; B/op: JMH's GC profiler \
                (gc.alloc.rate.norm). Building the exchange is in every score; alone (ExchangeBuildBench, each \
                input measured in the same run) it costs %s ns.
                
                Two ratios of medians: *whole op*, the raw scores; *stage only*, each score minus the build of \
                the same input: the work of the stage itself, bridge included, which the target (≥ 3) is judged \
                on. A stage-only difference at or below zero is within the noise and shown as –.
                
                """.formatted(buildRange(s)));
        out.append("| module | input | Lua ns/op | Java ns/op | Lua / Java, whole op | Lua / Java, stage only "
                + "(target ≥ 3) | Lua B/op | Java B/op |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String m : StageInputs.MODULES) {
            for (String in : List.of("clean", "hit")) {
                String p = " input=" + in + " module=" + m;
                Optional<Score> lua = get(s, "stage.LuaStageBench.stage" + p);
                Optional<Score> java = get(s, "stage.JavaStageBench.stage" + p);
                Optional<Score> build = get(s, "stage.ExchangeBuildBench.build" + p);
                String why = JavaStages.availability(m).map(w -> "not available yet").orElse("not measured");
                out.append("| ").append(m).append(" | ").append(in)
                        .append(" | ").append(lua.map(Score::ns).orElse("not measured"))
                        .append(" | ").append(java.map(Score::ns).orElse(why))
                        .append(" | ").append(lua.isPresent() && java.isPresent()
                                ? String.format(Locale.ROOT, "%.2f", lua.get().median() / java.get().median()) : "–")
                        .append(" | ").append(lua.isPresent() && java.isPresent() && build.isPresent()
                                ? stageRatio(lua.get().median(), java.get().median(), build.get().median()) : "–")
                        .append(" | ").append(lua.map(Score::bytes).orElse("–"))
                        .append(" | ").append(java.map(Score::bytes).orElse("–"))
                        .append(" |\n");
            }
        }

        out.append("\n## The bridge (JMH)\n\n");
        out.append("""
                One VM built as the proxy builds it (ngx libraries and the host's Java-backed handlers); each \
                benchmark is one driver call as pipeline.lua makes it (`local f = h.access; if f then f(conf) end`). \
                The header benchmarks read User-Agent ten times per call.
                
                """);
        out.append("| benchmark | ns/op | B/op |\n| --- | ---: | ---: |\n");
        for (String b : BRIDGE) {
            Optional<Score> x = get(s, "bridge.BridgeBench." + b);
            out.append("| ").append(b).append(" | ").append(x.map(Score::ns).orElse("not measured"))
                    .append(" | ").append(x.map(Score::bytes).orElse("–")).append(" |\n");
        }
        out.append("\n| derived (medians) | ns | target |\n| --- | ---: | --- |\n");
        derived(out, "the driver calling a Java stage that does nothing, over calling nothing (the bridge's per-call cost,"
                + " view included)", s, "driverCallsJavaStage", "driverCallsNothing", 1, "< 200");
        derived(out, "the driver calling an empty Lua stage, over calling nothing", s, "driverCallsEmptyLuaStage",
                "driverCallsNothing", 1, "–");
        derived(out, "a Java no-op stage over an empty Lua stage", s, "driverCallsJavaStage",
                "driverCallsEmptyLuaStage", 1, "–");
        derived(out, "a bare Java function over calling nothing (LuaJ's floor)", s, "driverCallsJavaFunction",
                "driverCallsNothing", 1, "–");
        derived(out, "one header read through `ngx.var.http_user_agent`", s, "ngxVarHeader", "luaLoopBaseline",
                READS, "< 100");
        derived(out, "one header read through `ngx.req.get_headers()[\"user-agent\"]`", s, "ngxGetHeaders",
                "luaLoopBaseline", READS, "–");
        derived(out, "one header read through the typed view (`request().headers().first(...)`)", s,
                "typedViewHeader", "driverCallsJavaStage", READS, "–");
        out.append("| Netty's header lookup alone (the floor) | ")
                .append(get(s, "bridge.BridgeBench.exchangeHeader").map(x -> fmt(x.median())).orElse("not measured"))
                .append(" | – |\n");
        return out.toString();
    }

    private static final int READS = 10;
    private static final List<String> BRIDGE = List.of("driverCallsNothing", "driverCallsEmptyLuaStage",
            "driverCallsJavaStage", "driverCallsJavaFunction", "luaLoopBaseline", "ngxVarHeader", "ngxGetHeaders",
            "typedViewHeader", "exchangeHeader");

    /**
     * Lua's stage work over Java's: each median minus the exchange build's; "–" when Java's (or
     * Lua's) difference is not above zero, which the noise alone can cause.
     */
    static String stageRatio(double lua, double java, double build) {
        double l = lua - build;
        double j = java - build;
        return l > 0 && j > 0 ? String.format(Locale.ROOT, "%.2f", l / j) : "–";
    }

    /** (a - b) / per, from the bridge benchmarks' medians. */
    private static void derived(StringBuilder out, String what, Map<String, Score> s, String a, String b, int per,
            String target) {
        Optional<Score> x = get(s, "bridge.BridgeBench." + a);
        Optional<Score> y = get(s, "bridge.BridgeBench." + b);
        out.append("| ").append(what).append(" | ")
                .append(x.isPresent() && y.isPresent() ? difference((x.get().median() - y.get().median()) / per)
                        : "not measured")
                .append(" | ").append(target).append(" |\n");
    }

    /** A difference of medians; a negative one means the two are within the run's noise. */
    private static String difference(double d) {
        return d < 0 ? "≈ 0 (" + fmt(d) + ": within the noise)" : fmt(d);
    }

    private static Optional<Score> get(Map<String, Score> s, String key) {
        return Optional.ofNullable(s.get(key));
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
