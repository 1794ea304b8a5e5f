package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.Phase;
import dev.graft.bridge.shared.DictImage;
import dev.graft.bridge.shared.DictJournal;
import dev.graft.bridge.shared.SharedDict;
import dev.graft.bridge.shared.SharedDicts;
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
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The Lua side of the parity check, kept to run one stage at a time as a shadow (Java serves,
 * Lua is the shadow): the parity check's all-Lua pipeline ({@link ParitySide}, built by the host
 * from the generation's config with every module in Lua) with its own VM, its own shared dicts
 * and its held clock. One per config generation, used by one thread at a time (the shadow
 * thread).
 *
 * <p>A run: the clock is set to the stage's instant and the side's dicts (the overlay) are
 * emptied. The VM's {@code ngx.shared.NAME} is a stand-in for the overlay dict's handle: each
 * method call first copies the entry it names into the overlay, once per run: the serving
 * stage's image of the key from before it first touched it when the serving stage's
 * {@link DictJournal} has the key (so the handler sees the dicts as the serving stage saw them,
 * not with its writes in), else the live entry (value or list, flags, the same absolute
 * expiry); {@code get_keys}, {@code flush_expired}, {@code free_space} and {@code flush_all} copy every
 * entry (and every journaled key) first; after {@code flush_all} nothing more is copied. Then the method
 * runs on the overlay ({@link dev.graft.host.lua.lib.NgxShared}'s own code, so results and
 * errors are OpenResty's). So the handler writes only the overlay: this VM's {@code ngx.shared}
 * has never held a live dict. A run costs the entries it touches, not the size of the dicts. A
 * handle a script kept from load time (before the stand-ins) reads the overlay alone.
 *
 * <p>The handler's phase function runs on the caller's copy of the exchange with the
 * customer's Lua settings (the driver's config table, as the native path's fallbacks do), its
 * log records held back ({@link QuietLogs}). What it changed in the dicts is read back as effects
 * ({@code shared.<dict>.<key>}: {@link DictImage#describe()} of the overlay's entry where it
 * differs from the one copied in), comparable with a {@link DictJournal}'s changes. Its time
 * includes copying the entries it touched.
 */
public final class ShadowSide implements AutoCloseable {

    private final ParitySide side;
    private final LuaVm vm;
    private final LuaValue driverConfig;
    private final Optional<QuietLogs> logs;
    private final Map<String, LuaValue> handlers = new HashMap<>();
    /** This run's live state: the live dicts, the serving stage's journal, and per dict each copied key's image. */
    private SharedDicts live = SharedDicts.empty();
    private DictJournal served = DictJournal.empty();
    private final Map<String, Map<String, DictImage>> copied = new HashMap<>();
    private final java.util.Set<String> flushed = new java.util.HashSet<>();

    private ShadowSide(ParitySide side, LuaValue driverConfig, Optional<QuietLogs> logs) {
        this.side = side;
        this.vm = side.pipeline().lua().vm();
        this.driverConfig = driverConfig;
        this.logs = logs;
        installStandIns();
    }

    /** Replaces each {@code ngx.shared.NAME} with a stand-in that copies live entries in before each call. */
    private void installStandIns() {
        LuaValue real = vm.ngx().get("shared");
        LuaTable standIns = new LuaTable();
        for (String dict : side.dicts().names()) {
            LuaValue handle = real.get(dict);
            LuaValue methods = handle.getmetatable().get(LuaValue.INDEX);
            LuaTable standIn = new LuaTable();
            LuaTable wrapped = new LuaTable();
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = methods.next(k);
                k = n.arg1();
                if (k.isnil()) {
                    break;
                }
                String method = k.tojstring();
                LuaValue fn = n.arg(2);
                wrapped.rawset(k, new VarArgFunction() {
                    @Override
                    public Varargs invoke(Varargs args) {
                        if (args.arg1() != standIn) {
                            return fn.invoke(args); // dict.get(k): the method's own "bad zone" error
                        }
                        // not "name": inside a LibFunction that is the function's own (null) name field
                        copyIn(dict, method, args.arg(2));
                        return fn.invoke(LuaValue.varargsOf(handle, args.subargs(2)));
                    }
                });
            }
            LuaTable meta = new LuaTable();
            meta.rawset(LuaValue.INDEX, wrapped);
            standIn.setmetatable(meta);
            standIns.rawset(dict, standIn);
        }
        vm.ngx().rawset("shared", standIns);
    }

    /** Before {@code method} runs on the overlay: the live entries it reads, copied in once. */
    private void copyIn(String name, String method, LuaValue key) {
        switch (method) {
            case "get_keys", "flush_expired", "free_space", "flush_all" -> {
                for (Map.Entry<byte[], DictImage> touched : served.touched(name)) {
                    copyKey(name, touched.getKey());
                }
                Optional<SharedDict> from = live.get(name);
                if (from.isPresent()) {
                    for (byte[] k : from.get().keys(0)) {
                        copyKey(name, k);
                    }
                }
                if (method.equals("flush_all")) {
                    flushed.add(name); // all copied in, so the removals show; nothing is copied after it
                }
            }
            case "capacity" -> { }
            default -> {
                if (key.isstring() || key.isnumber()) {
                    LuaString s = key.isstring() ? key.strvalue() : key.tostring().checkstring();
                    if (s.m_length > 0 && s.m_length <= SharedDict.MAX_KEY_LENGTH) {
                        byte[] b = new byte[s.m_length];
                        System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
                        copyKey(name, b);
                    }
                }
            }
        }
    }

    /** The serving stage's image of the key before its first touch, else the live entry, into the overlay. */
    private void copyKey(String name, byte[] key) {
        Map<String, DictImage> seen = copied.computeIfAbsent(name, n -> new HashMap<>());
        String k = new String(key, StandardCharsets.ISO_8859_1);
        if (flushed.contains(name) || seen.containsKey(k)) {
            return;
        }
        Optional<SharedDict> to = side.dicts().get(name);
        if (to.isEmpty()) {
            return;
        }
        DictImage image = served.before(name, key)
                .orElseGet(() -> live.get(name).map(d -> d.image(key)).orElse(DictImage.ABSENT));
        if (!(image instanceof DictImage.Absent) && !to.get().install(key, image)) {
            image = DictImage.ABSENT; // too big for the overlay (it is as large as the live dict): absent there
        }
        seen.put(k, image);
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
     * changes), at {@code atMillis}, over the emptied overlay into which the entries of
     * {@code live} it touches are copied.
     */
    public Run run(String module, String customer, Phase phase, Exchange copy, long atMillis, SharedDicts live) {
        return run(module, customer, phase, copy, atMillis, live, DictJournal.empty());
    }

    /**
     * As {@link #run(String, String, Phase, Exchange, long, SharedDicts)}, reading the keys
     * {@code served} (the serving stage's closed journal) touched as they were before it touched
     * them.
     */
    public Run run(String module, String customer, Phase phase, Exchange copy, long atMillis, SharedDicts live,
            DictJournal served) {
        requireNonNull(copy, "copy");
        requireNonNull(live, "live");
        requireNonNull(served, "served");
        side.clock().set(atMillis);
        vm.ngx().get("update_time").call();
        side.resetState();
        this.live = live;
        this.served = served;
        copied.clear();
        flushed.clear();
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
        SortedMap<String, String> writes = writes();
        this.live = SharedDicts.empty();
        this.served = DictJournal.empty();
        return new Run(outcome, writes, lines, nanos);
    }

    /**
     * The overlay's entries that differ from the images copied in, as {@link DictImage#describe()}
     * gives them ({@code <deleted>} for one the handler removed): the same rendering as a
     * journal's changes, so the two sides compare.
     */
    private SortedMap<String, String> writes() {
        SortedMap<String, String> out = new TreeMap<>();
        for (String name : side.dicts().names()) {
            SharedDict d = side.dicts().get(name).orElseThrow();
            Map<String, DictImage> before = new HashMap<>(copied.getOrDefault(name, Map.of()));
            for (byte[] key : d.keys(0)) {
                before.putIfAbsent(new String(key, StandardCharsets.ISO_8859_1), DictImage.ABSENT);
            }
            before.forEach((k, was) -> {
                String now = d.image(k.getBytes(StandardCharsets.ISO_8859_1)).describe();
                if (!now.equals(was.describe())) {
                    out.put("shared." + name + "." + k, now);
                }
            });
        }
        return out;
    }

    @Override
    public void close() {
        logs.ifPresent(QuietLogs::uninstall);
    }
}
