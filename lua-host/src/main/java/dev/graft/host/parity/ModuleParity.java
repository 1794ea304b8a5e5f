package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.bridge.StageModules;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.Rollout;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The comparison of one module: two pipelines built by the host from one parity config (the
 * shipped pipeline, the module's case customers and the shipped customers that configure the
 * module), one all-Lua and one where the module is served by Java (through the dispatch's
 * Java-backed handlers, or the native pipeline for customers whose every stage is Java).
 * Each request runs on both at the same instant with the same request id and client; the
 * snapshots after each phase are diffed, and the first phase where an effect path differs is
 * reported with both values.
 */
final class ModuleParity {

    /** Where both sides' clocks stand: a fixed instant, so that time never differs. */
    static final long EPOCH_MILLIS = 1_780_000_000_000L; // 2026-05-28

    private static final int KEEP_MISMATCHES = 50;
    private static final int SHRINK_AT_MOST = 3;
    private static final Pattern CUSTOMER_PATH = Pattern.compile("customers\\.([^.]+)\\.modules");

    private final String module;
    private final ParitySide lua;
    private final ParitySide java;
    private final AllowList allowList;
    private final LocalDate today;
    private final LuaLineCoverage coverage;
    private final LogCapture logs;
    private final ModuleResult.Builder result;
    private long requestCounter;

    private ModuleParity(String module, ParitySide lua, ParitySide java, AllowList allowList, LocalDate today,
            LuaLineCoverage coverage, LogCapture logs, ModuleResult.Builder result) {
        this.module = module;
        this.lua = lua;
        this.java = java;
        this.allowList = allowList;
        this.today = today;
        this.coverage = coverage;
        this.logs = logs;
        this.result = result;
    }

    /** A module ready to compare, or why its config does not build. */
    sealed interface Setup {
        record Ready(ModuleParity parity) implements Setup {}

        record Failed(String message) implements Setup {}
    }

    /**
     * @param shipped   the shipped config's tree (pipeline, dicts, upstreams, customers)
     * @param scripts   the legacy-scripts folder
     * @param customers the customers to serve (cases' and shipped ones)
     * @param catalog   the Java modules to bind
     */
    static Setup setup(String module, JsonNode shipped, Path scripts, List<ParityCustomer> customers,
            StageModules catalog, AllowList allowList, LocalDate today, LogCapture logs, ModuleResult.Builder result) {
        requireNonNull(module, "module");
        ObjectNode root = config(shipped, scripts, customers);
        GraftConfig base;
        switch (ConfigLoader.check(root, scripts)) {
            case ConfigResult.Valid v -> base = v.config().withRollout(Rollout.ALL_LUA);
            case ConfigResult.Invalid i -> {
                return new Setup.Failed(module + ": the parity config is invalid: " + i.errors());
            }
        }
        ParitySide luaSide;
        switch (ParitySide.build(base, catalog, EPOCH_MILLIS)) {
            case ParitySide.Built.Ready r -> luaSide = r.side();
            case ParitySide.Built.Failed f -> {
                return new Setup.Failed(module + ": the all-Lua pipeline does not build: " + f.errors());
            }
        }
        // Customers whose settings Java refuses (or whose Lua validate refuses them for Java) are a
        // load-time error in a real config: they stay on Lua here and are counted.
        Map<String, Rollout.Mode> luaCustomers = new LinkedHashMap<>();
        ParitySide javaSide = null;
        List<String> lastErrors = List.of();
        for (int attempt = 0; attempt < 4 && javaSide == null; attempt++) {
            GraftConfig javaConfig = base.withRollout(new Rollout(Map.of(module,
                    new Rollout.ModuleRollout(Rollout.Mode.JAVA, luaCustomers))));
            switch (ParitySide.build(javaConfig, catalog, EPOCH_MILLIS)) {
                case ParitySide.Built.Ready r -> javaSide = r.side();
                case ParitySide.Built.Failed f -> {
                    lastErrors = f.errors();
                    int before = luaCustomers.size();
                    for (String e : f.errors()) {
                        Matcher m = CUSTOMER_PATH.matcher(e);
                        while (m.find()) {
                            luaCustomers.put(m.group(1), Rollout.Mode.LUA);
                            result.refusedSetting(m.group(1) + ": " + e);
                        }
                    }
                    if (luaCustomers.size() == before) {
                        return new Setup.Failed(module + ": the pipeline with " + module + " in Java does not build: "
                                + String.join("; ", f.errors()));
                    }
                }
            }
        }
        if (javaSide == null) {
            return new Setup.Failed(module + ": the pipeline with " + module + " in Java does not build: "
                    + String.join("; ", lastErrors));
        }
        LuaLineCoverage coverage = LuaLineCoverage.of(scripts, module);
        coverage.attach(luaSide.globals());
        return new Setup.Ready(new ModuleParity(module, luaSide, javaSide, allowList, today, coverage, logs, result));
    }

    /** The parity config: the shipped pipeline, dicts and upstreams, and the given customers. */
    static ObjectNode config(JsonNode shipped, Path scripts, List<ParityCustomer> customers) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode c = f.objectNode();
        c.putObject("listen").put("host", "127.0.0.1").put("port", 18080);
        ObjectNode admin = c.putObject("admin");
        admin.putObject("listen").put("host", "127.0.0.1").put("port", 19090);
        admin.put("token", "parity");
        c.put("scripts", scripts.toAbsolutePath().normalize().toString());
        c.put("default_upstream", shipped.path("default_upstream").asText("origin-a"));
        c.set("pipeline", shipped.path("pipeline").deepCopy());
        ObjectNode dicts = c.putObject("shared_dicts");
        dicts.put("ratelimit", "10m");
        shipped.path("shared_dicts").properties().forEach(e -> dicts.set(e.getKey(), e.getValue().deepCopy()));
        ObjectNode ups = c.putObject("upstreams");
        shipped.path("upstreams").properties().forEach(e -> ups.set(e.getKey(), e.getValue().deepCopy()));
        for (String name : List.of("origin-a", "origin-b", "bucket")) {
            if (!ups.has(name)) {
                ObjectNode up = ups.putObject(name);
                up.putArray("servers").addObject().put("address", "127.0.0.1:9").put("weight", 1);
            }
        }
        ObjectNode cs = c.putObject("customers");
        for (ParityCustomer pc : customers) {
            ObjectNode one = cs.putObject(pc.name());
            ArrayNode hosts = one.putArray("hosts");
            hosts.add(pc.host());
            one.set("modules", pc.modules().deepCopy());
        }
        return c;
    }

    /** Runs every sequence, reporting progress every {@code every} sequences. */
    void run(List<Sequence> sequences, Consumer<String> progress, int every, Optional<RequestGenerator> shrinkable) {
        int done = 0;
        for (Sequence s : sequences) {
            List<Diff> diffs = compare(s);
            boolean failed = diffs.stream().anyMatch(d -> !d.accepted());
            result.sequence(s.kind(), s.requests().size());
            if (failed && s.kind() == Sequence.Kind.GENERATED && result.shrinks() < SHRINK_AT_MOST) {
                result.shrunk();
                Sequence small = Shrinker.shrink(s, seq -> compare(seq).stream().anyMatch(d -> !d.accepted()));
                if (small != s) {
                    diffs = compare(small);
                    s = new Sequence(s.source() + " (shrunk)", s.kind(), small.requests());
                }
            }
            record(s, diffs);
            done++;
            if (every > 0 && done % every == 0) {
                progress.accept(module + ": " + done + "/" + sequences.size() + " " + kindName(s.kind())
                        + " sequences, " + result.mismatchCount() + " mismatching");
            }
        }
    }

    private static String kindName(Sequence.Kind k) {
        return switch (k) {
            case CASE -> "case";
            case GENERATED -> "generated";
            case RECORDED -> "recorded";
        };
    }

    /** One differing effect of one request of a sequence. */
    record Diff(int step, String phase, String path, String lua, String java, Optional<AllowList.Entry> allowedBy,
                boolean accepted) {}

    private List<Diff> compare(Sequence s) {
        lua.resetState();
        java.resetState();
        List<Diff> diffs = new ArrayList<>();
        int step = 0;
        for (ParityRequest r : s.requests()) {
            String id = String.format("%024x", ++requestCounter);
            long at = EPOCH_MILLIS + step;
            SideRun l = lua.run(r, id, at, logs);
            SideRun j = java.run(r, id, at, logs);
            result.time(l.nanos(), j.nanos());
            diffs.addAll(diff(step, l, j));
            step++;
        }
        return diffs;
    }

    private List<Diff> diff(int step, SideRun l, SideRun j) {
        List<Diff> out = new ArrayList<>();
        if (l.phases().size() != j.phases().size()) {
            out.add(new Diff(step, "head", "refused", Boolean.toString(l.phases().isEmpty()),
                    Boolean.toString(j.phases().isEmpty()), Optional.empty(), false));
            return out;
        }
        Set<String> seen = new TreeSet<>();
        for (int p = 0; p < l.phases().size(); p++) {
            SortedMap<String, String> a = l.phases().get(p).effects();
            SortedMap<String, String> b = j.phases().get(p).effects();
            // both failing is a match when the client sees the same: the other effects decide
            boolean bothFailed = a.containsKey("failure") && b.containsKey("failure");
            Set<String> keys = new LinkedHashSet<>(a.keySet());
            keys.addAll(b.keySet());
            for (String k : keys) {
                if (seen.contains(k) || (bothFailed && k.equals("failure"))) {
                    continue;
                }
                String va = a.getOrDefault(k, Mismatch.ABSENT);
                String vb = b.getOrDefault(k, Mismatch.ABSENT);
                if (!va.equals(vb)) {
                    seen.add(k);
                    Optional<AllowList.Entry> entry = allowList.find(k);
                    boolean accepted = entry.isPresent() && !entry.get().expires().isBefore(today);
                    out.add(new Diff(step, l.phases().get(p).phase(), k, va, vb, entry, accepted));
                }
            }
        }
        return out;
    }

    private void record(Sequence s, List<Diff> diffs) {
        if (diffs.isEmpty()) {
            return;
        }
        boolean failed = diffs.stream().anyMatch(d -> !d.accepted());
        result.request(failed);
        for (Diff d : diffs) {
            if (result.kept() >= KEEP_MISMATCHES) {
                break;
            }
            ParityRequest r = s.requests().get(d.step());
            Optional<AllowList.Entry> allowed = d.accepted() ? d.allowedBy() : Optional.empty();
            String source = s.source() + (s.requests().size() > 1 ? " step " + (d.step() + 1) : "")
                    + (d.allowedBy().isPresent() && !d.accepted() ? " [allow-list entry expired "
                    + d.allowedBy().get().expires() + ": " + d.allowedBy().get().reason() + "]" : "");
            result.keep(new Mismatch(module, d.phase(), source, r.describe(), d.path(), d.lua(), d.java(), allowed));
        }
    }

    /** The differences of one sequence (not recorded in the module's result). */
    List<Mismatch> differences(Sequence s) {
        List<Mismatch> out = new ArrayList<>();
        for (Diff d : compare(s)) {
            out.add(new Mismatch(module, d.phase(), s.source(), s.requests().get(d.step()).describe(), d.path(), d.lua(),
                    d.java(), d.accepted() ? d.allowedBy() : Optional.empty()));
        }
        return out;
    }

    LuaLineCoverage coverage() {
        return coverage;
    }

    int javaFallbacks() {
        return java.fallbacks();
    }
}
