package dev.graft.host.bridge;

import dev.graft.bridge.Phase;
import dev.graft.bridge.shared.DictJournal;
import dev.graft.bridge.shared.SharedDict;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.config.Rollout;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.ngx.RequestScope;
import dev.graft.host.rollout.LiveRollout;
import dev.graft.host.rollout.ModuleStats;
import dev.graft.host.rollout.ShadowLab;
import dev.graft.host.parity.ShadowSide;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A stage in shadow mode: Lua serves and Java is the shadow ({@link #serve}, on the Lua
 * driver's path), or Java serves and Lua is the shadow ({@link #serveJava} on the driver's path,
 * {@link #luaShadow} on the native path; see {@link LuaShadow}).
 *
 * <p>What happens, exactly: for a sampled request (a draw of the loop's randomness below
 * {@code sample}) while the shadow CPU cap allows, the Java-backed phase function copies the
 * exchange <em>before</em> the stage runs (request line, headers, body, response status and
 * headers, variables, upstream, output so far, and a shallow copy of {@code ngx.ctx}); the
 * Lua handler then serves the stage on the real exchange, and its effects are read from the
 * real exchange right after (on the event loop). The Java module then runs on the copy on the
 * shadow thread ({@link ShadowLab}), off the event loop and off the client's path: with shared
 * dicts that are a copy of the live ones taken on that thread (its writes go nowhere), the
 * clock held at the stage's time, its log lines dropped and no metrics of its own; its
 * effects are read from the copy and compared path by path. A Java fallback or exception in
 * the shadow counts as a fallback comparison (Lua would have served it), not as a mismatch.
 *
 * <p>Shared dicts, both directions: while the serving stage runs, a {@link DictJournal} is armed
 * for the event loop's thread (only for a sampled shadow; otherwise nothing is armed). The
 * shadow's dicts hold, for each key the serving stage touched, the image from before its first
 * touch, so the shadow reads what the serving stage read, not its writes. The serving stage's
 * changes (the journal's after-images) and the shadow's (its own journal on the copy, or the
 * Lua overlay's entries) are effects {@code shared.<dict>.<key>}: value and flags, and whether
 * the entry expires ({@link dev.graft.bridge.shared.DictImage#describe()}), compared like the
 * other paths. A journal over its key bound skips the shadow ({@code skipped{reason="journal"}}).
 *
 * <p>Not shadowed: body_filter (its chunks stream); a Lua error in the stage (the request
 * ends in a 500, and there is nothing to compare with). Log lines are not compared (the Lua
 * side's go to the real log).
 */
final class ShadowStage {

    private static final String ABSENT = ShadowLab.Diff.ABSENT;
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

    private ShadowStage() {}

    static Varargs serve(Rollout.Mode.Shadow mode, String module, ModuleBindings.Binding binding, Object config,
            Phase phase, Exchange ex, String customer, LuaValue lua, Varargs args, LoopServices services,
            RequestScope scope) {
        ShadowLab lab = services.rollout().shadow();
        if (phase == Phase.BODY_FILTER || !(services.random().nextDouble() < mode.sample())
                || !lab.admit(module, mode.maxCpuShare())) {
            return lua.invoke(args);
        }
        Exchange copy = copy(ex);
        Instant at = services.clock().instant();
        ShadowLab.RequestRecord request = record(ex, mode.redact());
        DictJournal journal = DictJournal.arm(services.dicts());
        boolean done = false;
        try {
            Varargs r = lua.invoke(args);
            done = true;
            return r;
        } finally {
            journal.close();
            // ngx.exit unwinds like an error: the scope says whether the stage exited
            if (done || scope.exited()) {
                SortedMap<String, String> luaFx = effects(ex, scope.exited(), scope.exitStatus());
                ModuleStats stats = services.rollout().stats(module);
                SharedDicts live = services.dicts();
                String defaultUpstream = services.defaultUpstream();
                lab.submit(module, () -> runJava(module, binding, config, phase, customer, copy, at, request, luaFx,
                        journal, live, defaultUpstream, lab, stats));
            }
        }
    }

    private static void runJava(String module, ModuleBindings.Binding binding, Object config, Phase phase,
            String customer, Exchange copy, Instant at, ShadowLab.RequestRecord request,
            SortedMap<String, String> luaFx, DictJournal served, SharedDicts live, String defaultUpstream,
            ShadowLab lab, ModuleStats stats) {
        if (served.overflowed()) {
            lab.skipped(module, "journal");
            return;
        }
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        SharedDicts dicts = copyDicts(live, clock, served);
        LoopServices scratch = new LoopServices(dicts, clock, new SplittableRandom(),
                defaultUpstream, GraftMetrics.NONE, LiveRollout.bindingsDecide());
        BridgeExchange sx = new BridgeExchange(copy, customer, scratch, true);
        boolean exited = false;
        int status = 0;
        // this thread's own journal on the copy: what the Java side changed
        DictJournal own = DictJournal.arm(dicts);
        StageCall.Result result;
        try {
            result = StageCall.runQuiet(binding.module(), config, phase, sx);
        } finally {
            own.close();
        }
        switch (result) {
            case StageCall.Result.Continue c -> { }
            case StageCall.Result.Exit x -> {
                ExitResponses.headers(copy, x.exit());
                x.exit().body().ifPresent(body -> ExitResponses.output(copy, x.exit(), body));
                exited = true;
                status = x.exit().status();
            }
            case StageCall.Result.ToLua t -> {
                lab.compared(module, stats, true);
                return;
            }
        }
        SortedMap<String, String> javaFx = effects(copy, exited, status);
        dictEffects(own, javaFx);
        SortedMap<String, String> lua = new TreeMap<>(luaFx);
        dictEffects(served, lua);
        List<ShadowLab.Diff> diffs = diff(lua, javaFx);
        if (diffs.isEmpty()) {
            lab.compared(module, stats, false);
        } else {
            lab.mismatch(new ShadowLab.ShadowMismatch(Instant.now(), module, customer, phase.luaName(),
                    copy.requestId(), "lua", request, diffs, lua), stats);
        }
    }

    /** A journal's changes as effects: {@code shared.<dict>.<key>} = the entry after, described. */
    static void dictEffects(DictJournal journal, SortedMap<String, String> fx) {
        for (DictJournal.Change c : journal.changes()) {
            fx.put("shared." + c.dict() + "." + c.keyText(), c.after().describe());
        }
    }

    /** The paths whose values differ, with both values ({@code <absent>} for a missing one). */
    static List<ShadowLab.Diff> diff(SortedMap<String, String> lua, SortedMap<String, String> java) {
        Set<String> paths = new TreeSet<>(lua.keySet());
        paths.addAll(java.keySet());
        List<ShadowLab.Diff> out = new ArrayList<>();
        for (String p : paths) {
            String l = lua.getOrDefault(p, ABSENT);
            String j = java.getOrDefault(p, ABSENT);
            if (!l.equals(j)) {
                out.add(new ShadowLab.Diff(p, l, j));
            }
        }
        return out;
    }

    /** What a stage can change, as effect path to value. */
    static SortedMap<String, String> effects(Exchange ex, boolean exited, int exitStatus) {
        SortedMap<String, String> fx = new TreeMap<>();
        fx.put("request.method", ex.method());
        fx.put("request.uri", ex.uri());
        ex.args().ifPresent(a -> fx.put("request.args", a));
        for (String name : ex.requestHeaders().names()) {
            fx.put("request.header." + name.toLowerCase(Locale.ROOT), String.join("\n", ex.requestHeaders().getAll(name)));
        }
        if (ex.status() != 0) {
            fx.put("response.status", Integer.toString(ex.status()));
        }
        for (String name : ex.responseHeaders().names()) {
            fx.put("response.header." + name.toLowerCase(Locale.ROOT),
                    String.join("\n", ex.responseHeaders().getAll(name)));
        }
        ex.variables().forEach((k, v) -> {
            if (!k.startsWith("GRAFT_")) {
                fx.put("var." + k, v);
            }
        });
        ex.upstream().ifPresent(u -> fx.put("upstream", u));
        if (ex.output().size() > 0) {
            fx.put("output", ex.output().toString(StandardCharsets.ISO_8859_1));
        }
        if (exited) {
            fx.put("exit", Integer.toString(exitStatus));
        }
        LuaTable ctx = ex.luaCtx() instanceof JavaCtx j ? j.toLua() : ex.luaCtx() instanceof LuaTable t ? t : null;
        if (ctx != null) {
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = ctx.next(k);
                k = n.arg1();
                if (k.isnil()) {
                    break;
                }
                LuaValue v = n.arg(2);
                if (k.isstring() && (v.isstring() || v.isboolean() || v.isnumber())) {
                    fx.put("ctx." + k.tojstring(), v.tojstring());
                }
            }
        }
        return fx;
    }

    /** A detached copy of everything a stage reads or changes. */
    static Exchange copy(Exchange ex) {
        Exchange c = Exchange.builder().requestId(ex.requestId()).start(ex.startEpochMillis(), ex.startNanos())
                .remote(ex.remote()).local(ex.local()).scheme(ex.scheme()).version(ex.version())
                .requestUri(ex.requestUri()).requestLineHost(ex.requestLineHost().orElse(null)).method(ex.method())
                .uri(ex.uri()).args(ex.args().orElse(null))
                .headers(new DefaultHttpHeaders().add(ex.requestHeaders())).build();
        ex.body().ifPresent(b -> c.body(b.clone()));
        c.status(ex.status());
        c.responseHeaders().add(ex.responseHeaders());
        c.output().writeBytes(ex.output().toByteArray());
        if (ex.headersSent()) {
            c.markHeadersSent();
        }
        ex.upstream().ifPresent(c::upstream);
        c.variables().putAll(ex.variables());
        c.phase(ex.phase());
        if (ex.luaCtx() instanceof LuaTable ctx) {
            LuaTable t = new LuaTable();
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = ctx.next(k);
                k = n.arg1();
                if (k.isnil()) {
                    break;
                }
                t.rawset(k, n.arg(2));
            }
            c.luaCtx(t);
        } else if (ex.luaCtx() instanceof JavaCtx j) {
            c.luaCtx(j.toLua()); // the native path's context, as a Lua stage would get it
        }
        return c;
    }

    /**
     * A copy of a context table for a Lua shadow, nested tables included (the shadow may change
     * them in place, and they are the live request's); a value met twice is copied once.
     */
    static LuaTable deepCopy(LuaTable t, java.util.IdentityHashMap<LuaTable, LuaTable> seen) {
        LuaTable done = seen.get(t);
        if (done != null) {
            return done;
        }
        LuaTable c = new LuaTable();
        seen.put(t, c);
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            k = n.arg1();
            if (k.isnil()) {
                break;
            }
            LuaValue v = n.arg(2);
            c.rawset(k, v instanceof LuaTable vt ? deepCopy(vt, seen) : v);
        }
        if (t.getmetatable() != null) {
            c.setmetatable(t.getmetatable());
        }
        return c;
    }

    private static ShadowLab.RequestRecord record(Exchange ex, List<String> redact) {
        List<List<String>> headers = new ArrayList<>();
        for (Map.Entry<String, String> h : ex.requestHeaders()) {
            String lower = h.getKey().toLowerCase(Locale.ROOT);
            boolean secret = SECRET_HEADERS.contains(lower) || redact.contains(lower);
            headers.add(List.of(h.getKey(), secret ? "<redacted>" : h.getValue()));
        }
        String client = ex.remote().getAddress() == null ? "" : ex.remote().getAddress().getHostAddress();
        return new ShadowLab.RequestRecord(ex.method(), ex.requestUri(), headers, client);
    }

    /**
     * The live dicts' current entries in fresh dicts, with the serving stage's images from before
     * its first touch for the keys {@code served} journaled: the shadow reads what the serving
     * stage read, and writes nowhere.
     */
    private static SharedDicts copyDicts(SharedDicts live, Clock clock, DictJournal served) {
        Map<String, Long> capacities = new HashMap<>();
        for (String name : live.names()) {
            live.get(name).ifPresent(d -> capacities.put(name, d.capacity()));
        }
        SharedDicts out = SharedDicts.of(capacities, clock);
        for (String name : live.names()) {
            Optional<SharedDict> from = live.get(name);
            Optional<SharedDict> to = out.get(name);
            if (from.isEmpty() || to.isEmpty()) {
                continue;
            }
            for (byte[] key : from.get().keys(0)) {
                to.get().install(key, from.get().image(key));
            }
            for (Map.Entry<byte[], dev.graft.bridge.shared.DictImage> touched : served.touched(name)) {
                to.get().install(touched.getKey(), touched.getValue());
            }
        }
        return out;
    }

    // ------------------------------------------------------------ Java serves, Lua is the shadow

    /**
     * A stage on the Lua driver's path in a shadow with Java serving: {@code java} serves it on
     * the real exchange (the Java-backed handler's own call), and for a sampled request within
     * the cap the Lua handler runs on a copy on the shadow thread ({@link LuaShadow}).
     */
    static Varargs serveJava(Rollout.Mode.Shadow mode, String module, Phase phase, Exchange ex, String customer,
            java.util.function.Supplier<Varargs> java, LoopServices services, RequestScope scope) {
        LuaShadow shadow = LuaShadow.start(mode, module, phase, ex, customer, services);
        if (!shadow.started()) {
            return java.get();
        }
        boolean done = false;
        try {
            Varargs r = java.get();
            done = true;
            return r;
        } finally {
            // ngx.exit (a Java exit acts through it) unwinds like an error: the scope says whether it exited
            if (done || scope.exited()) {
                shadow.submit(effects(ex, scope.exited(), scope.exitStatus()));
            } else {
                shadow.abandon();
            }
        }
    }

    /**
     * The Lua shadow of a stage the native path is about to run in Java: {@link LuaShadow#NONE}
     * unless {@code module} is in a shadow with Java serving for {@code customer} and this request
     * is sampled within the cap. One volatile read when no module is in such a shadow.
     */
    static LuaShadow luaShadow(LoopServices services, String module, String customer, Phase phase, Exchange ex) {
        if (!services.rollout().javaServedShadows()
                || !(services.rollout().mode(module, customer) instanceof Rollout.Mode.Shadow sh) || !sh.servesJava()) {
            return LuaShadow.NONE;
        }
        return LuaShadow.start(sh, module, phase, ex, customer, services);
    }

    /**
     * One Lua shadow of a Java-served stage. {@link #start} (on the event loop, before Java
     * serves) draws the sample, asks the cap, and copies the exchange: request, response so far,
     * variables, upstream, and {@code ngx.ctx} (converted from the native path's Java context, or
     * a deep copy of the Lua table). After Java served, its effects are read from the real
     * exchange and the rest happens on the shadow thread: the Lua handler runs on the copy in the
     * config generation's shadow VM ({@link ShadowSide}: the parity check's all-Lua pipeline, whose
     * {@code ngx.shared} is an overlay that copies in the live entries the handler touches, its
     * clock held at the stage's time); its effects are compared with Java's as in the other
     * direction. Its dict writes stay in the overlay and are compared with Java's: a
     * {@link DictJournal} armed on the event loop's thread from {@link #start} until Java served
     * records the images of the keys Java touched, before and after; the overlay copies in the
     * "before" images of those keys (so Lua reads what Java read) and Lua's changes are compared
     * with Java's "after" images as {@code shared.<dict>.<key>}. Its log records are held back
     * and kept with a stored mismatch, not compared (Java's log lines go to the log). The Lua
     * call's time counts as a Lua call of the module (the latency ratio and the dashboard).
     */
    static final class LuaShadow {

        static final LuaShadow NONE = new LuaShadow(null, null, null, null, null, null, null, null, null);

        private final String module;
        private final Phase phase;
        private final String customer;
        private final Exchange copy;
        private final Instant at;
        private final ShadowLab.RequestRecord request;
        private final LoopServices services;
        private final dev.graft.host.config.GraftConfig generation;
        /** Armed on this loop's thread until Java served: what Java did to the dicts. */
        private final DictJournal journal;

        private LuaShadow(String module, Phase phase, String customer, Exchange copy, Instant at,
                ShadowLab.RequestRecord request, LoopServices services, dev.graft.host.config.GraftConfig generation,
                DictJournal journal) {
            this.module = module;
            this.phase = phase;
            this.customer = customer;
            this.copy = copy;
            this.at = at;
            this.request = request;
            this.services = services;
            this.generation = generation;
            this.journal = journal;
        }

        static LuaShadow start(Rollout.Mode.Shadow mode, String module, Phase phase, Exchange ex, String customer,
                LoopServices services) {
            ShadowLab lab = services.rollout().shadow();
            if (phase == Phase.BODY_FILTER || services.generation().isEmpty()
                    || !(services.random().nextDouble() < mode.sample()) || !lab.admit(module, mode.maxCpuShare())) {
                return NONE;
            }
            Exchange copy = copy(ex);
            if (copy.luaCtx() instanceof LuaTable t) {
                copy.luaCtx(deepCopy(t, new java.util.IdentityHashMap<>()));
            }
            // armed last: right before Java serves
            return new LuaShadow(module, phase, customer, copy, services.clock().instant(), record(ex, mode.redact()),
                    services, services.generation().get(), DictJournal.arm(services.dicts()));
        }

        boolean started() {
            return copy != null;
        }

        /** After the native path's Java call: Java's effects, then the Lua run on the shadow thread. */
        void after(Exchange ex, StageCall.Result result) {
            if (!started()) {
                return;
            }
            switch (result) {
                case StageCall.Result.Continue c -> submit(effects(ex, false, 0));
                case StageCall.Result.Exit x -> {
                    // the exit's headers and body as the driver's path applies them before ngx.exit
                    Exchange c = copy(ex);
                    ExitResponses.headers(c, x.exit());
                    x.exit().body().ifPresent(body -> ExitResponses.output(c, x.exit(), body));
                    submit(effects(c, true, x.exit().status()));
                }
                // Lua served this stage on the real exchange: there is nothing to compare
                case StageCall.Result.ToLua t -> {
                    abandon();
                    services.rollout().shadow().compared(module, services.rollout().stats(module), true);
                }
            }
        }

        /** The stage ended without effects to compare: stops the journal. */
        void abandon() {
            if (started()) {
                journal.close();
            }
        }

        void submit(SortedMap<String, String> javaFx) {
            journal.close();
            ShadowLab lab = services.rollout().shadow();
            ModuleStats stats = services.rollout().stats(module);
            SharedDicts live = services.dicts();
            lab.submit(module, () -> runLua(lab, stats, live, javaFx));
        }

        private void runLua(ShadowLab lab, ModuleStats stats, SharedDicts live, SortedMap<String, String> javaFx) {
            if (journal.overflowed()) {
                lab.skipped(module, "journal");
                return;
            }
            Optional<ShadowSide> side = lab.luaSide(module, generation);
            if (side.isEmpty()) {
                return;
            }
            ShadowSide.Run run = side.get().run(module, customer, phase, copy, at.toEpochMilli(), live, journal);
            stats.luaCall(run.luaNanos());
            SortedMap<String, String> luaFx = switch (run.outcome()) {
                case ShadowSide.Outcome.Returned r -> effects(copy, false, 0);
                case ShadowSide.Outcome.Exited x -> effects(copy, true, x.status());
                case ShadowSide.Outcome.Jumped j -> {
                    SortedMap<String, String> fx = effects(copy, false, 0);
                    fx.put("exit", "jump");
                    yield fx;
                }
                case ShadowSide.Outcome.Failed f -> {
                    SortedMap<String, String> fx = effects(copy, false, 0);
                    fx.put("failure", f.message());
                    yield fx;
                }
            };
            luaFx.putAll(run.dictWrites());
            SortedMap<String, String> java = new TreeMap<>(javaFx);
            dictEffects(journal, java);
            List<ShadowLab.Diff> diffs = diff(luaFx, java);
            if (diffs.isEmpty()) {
                lab.compared(module, stats, false);
                return;
            }
            // kept with the mismatch, not compared: what Lua would have logged
            SortedMap<String, String> kept = new TreeMap<>(luaFx);
            for (int i = 0; i < run.logLines().size(); i++) {
                kept.put(String.format(Locale.ROOT, "log.%03d", i), run.logLines().get(i));
            }
            lab.mismatch(new ShadowLab.ShadowMismatch(Instant.now(), module, customer, phase.luaName(),
                    copy.requestId(), "java", request, diffs, kept), stats);
        }
    }
}
