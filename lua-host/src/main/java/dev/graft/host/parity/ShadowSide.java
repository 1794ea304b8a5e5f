package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.Phase;
import dev.graft.bridge.shared.DictItem;
import dev.graft.bridge.shared.DictResult;
import dev.graft.bridge.shared.SharedDict;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.bridge.shared.SharedValue;
import dev.graft.host.bridge.StageModules;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.Rollout;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.CallResult;
import dev.graft.host.lua.LuaVm;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.luaj.vm2.LuaValue;

/**
 * The Lua side of the parity check, kept to run one stage at a time as a shadow (Java serves,
 * Lua is the shadow): the parity check's all-Lua pipeline ({@link ParitySide}, built by the host
 * from the generation's config with every module in Lua) with its own VM, its own shared dicts
 * and its held clock. One per config generation, used by one thread at a time (the shadow
 * thread).
 *
 * <p>A run: the clock is set to the stage's instant; the side's dicts (the overlay) are emptied
 * and loaded with the live dicts' entries (values, flags, remaining ttl; lists are not copied),
 * so the Lua handler reads live values; it writes only there, since this VM's
 * {@code ngx.shared} has never held a live dict. The handler's phase function runs on the
 * caller's copy of the exchange with the customer's Lua settings (the driver's config table,
 * as the native path's fallbacks do), its log records held back ({@link QuietLogs}). What it
 * wrote to the dicts is read back as effects ({@code shared.<dict>.<key>}).
 */
public final class ShadowSide implements AutoCloseable {

    private final ParitySide side;
    private final LuaVm vm;
    private final LuaValue driverConfig;
    private final Optional<QuietLogs> logs;
    private final Map<String, LuaValue> handlers = new HashMap<>();

    private ShadowSide(ParitySide side, LuaValue driverConfig, Optional<QuietLogs> logs) {
        this.side = side;
        this.vm = side.pipeline().lua().vm();
        this.driverConfig = driverConfig;
        this.logs = logs;
    }

    /** A side ready to run stages, or why it does not build. */
    public sealed interface Built {
        record Ready(ShadowSide side) implements Built {}

        record Failed(String message) implements Built {}
    }

    /** How the Lua handler's phase function ended. */
    public sealed interface Outcome {
        record Returned() implements Outcome {}

        /** {@code ngx.exit(status)} (or a redirect). */
        record Exited(int status) implements Outcome {}

        /** {@code ngx.req.set_uri(uri, true)}. */
        record Jumped() implements Outcome {}

        /** A Lua error or a spent instruction budget: the request would have ended in a 500. */
        record Failed(String message) implements Outcome {}
    }

    /**
     * One run of a stage.
     *
     * @param dictWrites {@code shared.<dict>.<key>} for each entry the handler changed (its value and
     *                   flags, {@code <absent>} when it deleted one)
     * @param logLines   what the handler would have logged (level and message), held back
     * @param luaNanos   the time of the handler call alone
     */
    public record Run(Outcome outcome, SortedMap<String, String> dictWrites, List<String> logLines, long luaNanos) {
        public Run {
            requireNonNull(outcome, "outcome");
            dictWrites = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(dictWrites));
            logLines = List.copyOf(logLines);
        }
    }

    /** Builds the generation's Lua side (compiles the scripts, runs the driver's init). */
    public static Built build(GraftConfig config) {
        requireNonNull(config, "config");
        GraftConfig allLua = config.withRollout(Rollout.ALL_LUA);
        ParitySide side;
        switch (ParitySide.build(allLua, StageModules.discover(), System.currentTimeMillis())) {
            case ParitySide.Built.Ready r -> side = r.side();
            case ParitySide.Built.Failed f -> {
                return new Built.Failed(String.join("; ", f.errors()));
            }
        }
        LuaVm vm = side.pipeline().lua().vm();
        LuaValue driverConfig = LuaValue.NIL;
        if (vm.require("pipeline") instanceof CallResult.Returned r && r.values().arg1().get("config").isfunction()
                && vm.callInit(r.values().arg1().get("config"), LuaValue.NONE) instanceof CallResult.Returned c) {
            driverConfig = c.values().arg1();
        }
        if (!driverConfig.istable()) {
            return new Built.Failed("pipeline: require(\"pipeline\").config() is not the config table");
        }
        return new Built.Ready(new ShadowSide(side, driverConfig, QuietLogs.install()));
    }

    /**
     * Runs {@code module}'s {@code phase} function for {@code customer} on {@code copy} (which it
     * changes), at {@code atMillis}, over an overlay loaded from {@code live}.
     */
    public Run run(String module, String customer, Phase phase, Exchange copy, long atMillis, SharedDicts live) {
        requireNonNull(copy, "copy");
        requireNonNull(live, "live");
        side.clock().set(atMillis);
        vm.ngx().get("update_time").call();
        Map<String, Map<String, String>> loaded = load(live);
        LuaValue handler = handlers.computeIfAbsent(module, m -> vm.require(m + ".handler")
                instanceof CallResult.Returned r ? r.values().arg1() : LuaValue.NIL);
        LuaValue fn = handler.istable() ? handler.get(phase.luaName()) : LuaValue.NIL;
        if (!fn.isfunction()) {
            return new Run(new Outcome.Failed(module + ": no Lua " + phase.luaName() + " function"), new TreeMap<>(),
                    List.of(), 0);
        }
        LuaValue conf = driverConfig.get("customers").get(customer).get("modules").get(module);
        logs.ifPresent(QuietLogs::hush);
        long t0 = System.nanoTime();
        CallResult r;
        List<String> lines;
        try {
            r = vm.call(copy, phase, fn, conf);
        } finally {
            lines = logs.map(QuietLogs::release).orElse(List.of());
        }
        long nanos = System.nanoTime() - t0;
        Outcome outcome = switch (r) {
            case CallResult.Returned x -> new Outcome.Returned();
            case CallResult.Exited x -> new Outcome.Exited(x.status());
            case CallResult.Jumped x -> new Outcome.Jumped();
            case CallResult.Failed x -> new Outcome.Failed(x.message());
            case CallResult.BudgetStopped x -> new Outcome.Failed("instruction budget exhausted at " + x.location());
        };
        return new Run(outcome, writes(loaded), lines, nanos);
    }

    /** Empties the overlay and copies the live entries in; returns what it loaded, described. */
    private Map<String, Map<String, String>> load(SharedDicts live) {
        side.resetState();
        Map<String, Map<String, String>> loaded = new HashMap<>();
        for (String name : side.dicts().names()) {
            SharedDict to = side.dicts().get(name).orElseThrow();
            Map<String, String> seen = new HashMap<>();
            loaded.put(name, seen);
            Optional<SharedDict> from = live.get(name);
            if (from.isEmpty()) {
                continue;
            }
            for (byte[] key : from.get().keys(0)) {
                if (from.get().get(key) instanceof DictResult.Ok<Optional<DictItem>> ok && ok.value().isPresent()) {
                    long ttl = from.get().ttl(key) instanceof DictResult.Ok<Double> t && t.value() > 0
                            ? Math.max(1, (long) (t.value() * 1000)) : 0;
                    DictItem item = ok.value().get();
                    to.store(SharedDict.StoreMode.SET, key, item.value(), ttl, item.flags());
                    seen.put(new String(key, StandardCharsets.ISO_8859_1), describe(item));
                }
            }
        }
        return loaded;
    }

    /** The overlay's entries that differ from what was loaded. */
    private SortedMap<String, String> writes(Map<String, Map<String, String>> loaded) {
        SortedMap<String, String> out = new TreeMap<>();
        for (String name : side.dicts().names()) {
            SharedDict d = side.dicts().get(name).orElseThrow();
            Map<String, String> before = new HashMap<>(loaded.getOrDefault(name, Map.of()));
            for (byte[] key : d.keys(0)) {
                String k = new String(key, StandardCharsets.ISO_8859_1);
                String was = before.remove(k);
                String now = d.get(key) instanceof DictResult.Ok<Optional<DictItem>> ok && ok.value().isPresent()
                        ? describe(ok.value().get()) : "<list>";
                if (!now.equals(was)) {
                    out.put("shared." + name + "." + k, now);
                }
            }
            before.keySet().forEach(k -> out.put("shared." + name + "." + k, Mismatch.ABSENT));
        }
        return out;
    }

    private static String describe(DictItem item) {
        String v = switch (item.value()) {
            case SharedValue.Text t -> new String(t.bytes(), StandardCharsets.ISO_8859_1);
            case SharedValue.Num n -> LuaValue.valueOf(n.value()).tojstring();
            case SharedValue.Bool b -> Boolean.toString(b.value());
        };
        return v + " flags=" + item.flags();
    }

    @Override
    public void close() {
        logs.ifPresent(QuietLogs::uninstall);
    }
}
