package dev.graft.host.bridge;

import dev.graft.bridge.Phase;
import dev.graft.bridge.shared.DictItem;
import dev.graft.bridge.shared.DictResult;
import dev.graft.bridge.shared.SharedDict;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.config.Rollout;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.ngx.RequestScope;
import dev.graft.host.rollout.LiveRollout;
import dev.graft.host.rollout.ModuleStats;
import dev.graft.host.rollout.ShadowLab;
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
 * A stage in shadow mode (Lua serves, Java is the shadow), on the Lua driver's path.
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
        boolean done = false;
        try {
            Varargs r = lua.invoke(args);
            done = true;
            return r;
        } finally {
            // ngx.exit unwinds like an error: the scope says whether the stage exited
            if (done || scope.exited()) {
                SortedMap<String, String> luaFx = effects(ex, scope.exited(), scope.exitStatus());
                ModuleStats stats = services.rollout().stats(module);
                SharedDicts live = services.dicts();
                String defaultUpstream = services.defaultUpstream();
                lab.submit(module, () -> runJava(module, binding, config, phase, customer, copy, at, request, luaFx,
                        live, defaultUpstream, lab, stats));
            }
        }
    }

    private static void runJava(String module, ModuleBindings.Binding binding, Object config, Phase phase,
            String customer, Exchange copy, Instant at, ShadowLab.RequestRecord request,
            SortedMap<String, String> luaFx, SharedDicts live, String defaultUpstream, ShadowLab lab,
            ModuleStats stats) {
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        LoopServices scratch = new LoopServices(copyDicts(live, clock), clock, new SplittableRandom(),
                defaultUpstream, GraftMetrics.NONE, LiveRollout.bindingsDecide());
        BridgeExchange sx = new BridgeExchange(copy, customer, scratch, true);
        boolean exited = false;
        int status = 0;
        switch (StageCall.runQuiet(binding.module(), config, phase, sx)) {
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
        List<ShadowLab.Diff> diffs = diff(luaFx, javaFx);
        if (diffs.isEmpty()) {
            lab.compared(module, stats, false);
        } else {
            lab.mismatch(new ShadowLab.ShadowMismatch(Instant.now(), module, customer, phase.luaName(),
                    copy.requestId(), request, diffs, luaFx), stats);
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
        if (ex.luaCtx() instanceof LuaTable ctx) {
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

    /** The live dicts' current entries in fresh dicts: the shadow reads the live state and writes nowhere. */
    private static SharedDicts copyDicts(SharedDicts live, Clock clock) {
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
                if (from.get().get(key) instanceof DictResult.Ok<Optional<DictItem>> ok && ok.value().isPresent()) {
                    long ttl = from.get().ttl(key) instanceof DictResult.Ok<Double> t && t.value() > 0
                            ? Math.max(1, (long) (t.value() * 1000)) : 0;
                    DictItem item = ok.value().get();
                    to.get().store(SharedDict.StoreMode.SET, key, item.value(), ttl, item.flags());
                }
            }
        }
        return out;
    }
}
