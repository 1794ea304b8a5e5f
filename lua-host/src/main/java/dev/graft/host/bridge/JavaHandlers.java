package dev.graft.host.bridge;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.BodyChunk;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageModule;
import dev.graft.host.config.Rollout;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.LuaLibrary;
import dev.graft.host.lua.LuaVm;
import dev.graft.host.lua.ngx.RequestScope;
import dev.graft.host.rollout.ModuleStats;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The host's module loader for Java-served modules, in one VM: for each module that the
 * rollout serves from Java for some customer, {@code require("<module>.handler")} returns a
 * Java-backed handler table instead of the Lua one, so the legacy driver and every other Lua
 * module stay as they are.
 *
 * <p>The table holds everything the Lua handler's table holds (its {@code _VERSION}, helper
 * functions, {@code validate}), with each phase function replaced by one that looks up the
 * request's customer ({@code ngx.ctx.customer}, set by the driver): a customer Java serves gets
 * the {@link StageModule}'s phase with its bound settings; any other customer, a
 * {@link dev.graft.bridge.Outcome.Fallback}, an exception or an impossible outcome get the Lua
 * handler's own function, called with the same arguments. The Java module must implement
 * exactly the phases the Lua handler has; the loader refuses it otherwise (the driver's init
 * then fails, and the config with it).
 *
 * <p>Install it as a {@link LuaLibrary} after the ngx libraries, then {@link #attach} the VM.
 */
public final class JavaHandlers implements LuaLibrary {

    private static final LuaString CUSTOMER = LuaString.valueOf("customer");

    /** Past this many distinct customer names the cache of their Java strings starts over. */
    private static final int MAX_CUSTOMERS = 1024;

    private final ModuleBindings bindings;
    private final LoopServices services;
    private final Map<String, LuaTable> luaHandlers = new HashMap<>();
    private final CtxNames ctxNames = new CtxNames();
    private final HeaderNames headerNames = new HeaderNames();
    // ngx.ctx.customer as Java text, by its Lua string: the driver sets it from the same few names
    private final Map<LuaValue, String> customers = new HashMap<>();
    // the last request's stage exchange: the driver calls a request's stages one after another
    // (it keeps that exchange reachable until the loop's next Java stage; one per loop)
    private BridgeExchange last;
    private RequestScope scope;
    private LuaValue exit = LuaValue.NIL;

    public JavaHandlers(ModuleBindings bindings, LoopServices services) {
        this.bindings = requireNonNull(bindings, "bindings");
        this.services = requireNonNull(services, "services");
    }

    /** Points the handlers at the VM they were installed in; before its first request. */
    public void attach(LuaVm vm) {
        this.scope = requireNonNull(vm, "vm").scope();
    }

    /** The loop's Lua names of ctx keys (the native path over the same VM shares them). */
    CtxNames ctxNames() {
        return ctxNames;
    }

    /** The loop's header names as Netty keeps them (shared with the native path). */
    HeaderNames headerNames() {
        return headerNames;
    }

    /** The customer of the request whose ngx.ctx is {@code ctx} ({@code ngx.ctx.customer}), or null. */
    private String customer(Object ctx) {
        if (!(ctx instanceof LuaTable t)) {
            return null;
        }
        LuaValue v = t.rawget(CUSTOMER);
        if (v.type() != LuaValue.TSTRING) {
            return v.isstring() ? v.tojstring() : null; // a number reads as its text
        }
        String c = customers.get(v);
        if (c == null) {
            if (customers.size() >= MAX_CUSTOMERS) {
                customers.clear();
            }
            c = v.tojstring();
            customers.put(v, c);
        }
        return c;
    }

    /** The stage exchange of {@code ex} for {@code customer}: the request's one, made at its first Java stage. */
    private BridgeExchange bridge(Exchange ex, String customer) {
        BridgeExchange b = last;
        if (b == null || !b.serves(ex, customer)) {
            b = new BridgeExchange(ex, customer, services, ctxNames, headerNames, false);
            last = b;
        }
        return b;
    }

    /** The Lua handler table of a Java-served module, once the driver required it. */
    public Optional<LuaTable> luaHandler(String module) {
        return Optional.ofNullable(luaHandlers.get(module));
    }

    @Override
    public void install(Globals g, LuaTable ngx) {
        exit = ngx.rawget("exit");
        LuaTable pkg = g.get("package").checktable();
        LuaTable preload = pkg.get("preload").checktable();
        for (Map.Entry<String, ModuleBindings.Binding> e : bindings.modules().entrySet()) {
            String module = e.getKey();
            ModuleBindings.Binding binding = e.getValue();
            String handlerName = module + ".handler";
            preload.rawset(handlerName, new VarArgFunction() {
                @Override
                public Varargs invoke(Varargs args) {
                    // not "name": inside a LibFunction that is the function's own (null) name field
                    return JavaHandlers.this.load(pkg, handlerName, module, binding);
                }
            });
        }
    }

    private LuaValue load(LuaTable pkg, String name, String module, ModuleBindings.Binding binding) {
        // the Lua handler, through the scripts searcher (the preload searcher is this function)
        Varargs found = pkg.get("searchers").get(2).invoke(LuaValue.valueOf(name));
        LuaValue chunk = found.arg1();
        if (!chunk.isfunction()) {
            throw new LuaError("module '" + name + "' not found:" + chunk.tojstring());
        }
        LuaValue lua = chunk.call(LuaValue.valueOf(name), found.arg(2));
        if (!lua.istable()) {
            throw new LuaError("bridge: " + name + " returned " + lua.typename() + " (expected: a handler table)");
        }
        LuaTable luaTable = (LuaTable) lua;
        Set<Phase> luaPhases = EnumSet.noneOf(Phase.class);
        for (Phase p : Phase.values()) {
            if (luaTable.rawget(p.luaName()).isfunction()) {
                luaPhases.add(p);
            }
        }
        Set<Phase> javaPhases = binding.module().phases().isEmpty() ? EnumSet.noneOf(Phase.class)
                : EnumSet.copyOf(binding.module().phases());
        if (!luaPhases.equals(javaPhases)) {
            throw new LuaError("bridge: " + module + ": the Java module's phases " + names(javaPhases)
                    + " differ from the Lua handler's " + names(luaPhases)
                    + " (expected: the same phases, so that either side serves the same stages)");
        }
        LuaTable table = new LuaTable();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = luaTable.next(k);
            k = n.arg1();
            if (k.isnil()) {
                break;
            }
            table.rawset(k, n.arg(2));
        }
        for (Phase p : luaPhases) {
            table.rawset(p.luaName(), new PhaseFunction(module, binding, p, luaTable.rawget(p.luaName())));
        }
        luaHandlers.put(module, luaTable);
        return table;
    }

    private static String names(Set<Phase> phases) {
        Set<String> s = new TreeSet<>();
        phases.forEach(p -> s.add(p.luaName()));
        return s.toString();
    }

    /**
     * One Java-backed phase function of a handler table. Who serves is decided per request: the
     * customer must be bound to Java in this generation, and the live mode table
     * ({@link LoopServices#rollout()}, one volatile read) must say Java, or canary with this
     * request's key in the Java share; otherwise the Lua handler's function runs. Under canary
     * the Lua side is timed too, for the rollback check's Java/Lua latency ratio.
     */
    private final class PhaseFunction extends VarArgFunction {
        private final String module;
        private final ModuleBindings.Binding binding;
        private final Phase phase;
        private final LuaValue lua;
        private ModuleStats stats;

        PhaseFunction(String module, ModuleBindings.Binding binding, Phase phase, LuaValue lua) {
            this.module = module;
            this.binding = binding;
            this.phase = phase;
            this.lua = lua;
            this.name = module + "." + phase.luaName();
        }

        @Override
        public Varargs invoke(Varargs args) {
            Exchange ex = scope == null ? null : scope.exchange().orElse(null);
            if (ex == null) {
                return lua.invoke(args); // outside a request (a test calling the handler at init)
            }
            String customer = customer(ex.luaCtx());
            Object config = customer == null ? null : binding.configs().get(customer);
            if (config == null) {
                return lua.invoke(args); // this customer is served by Lua
            }
            switch (services.rollout().mode(module, customer)) {
                case Rollout.Mode.Lua l -> {
                    return lua.invoke(args); // rolled back (or switched) to Lua live
                }
                case Rollout.Mode.Java j -> {
                    return java(ex, customer, config, args);
                }
                case Rollout.Mode.Shadow sh -> {
                    if (sh.servesJava()) {
                        return ShadowStage.serveJava(sh, module, phase, ex, customer,
                                () -> java(ex, customer, config, args), services, scope);
                    }
                    return ShadowStage.serve(sh, module, binding, config, phase, ex, customer, lua, args, services,
                            scope);
                }
                case Rollout.Mode.Canary c -> {
                    if (CanaryChoice.java(c, module, ex, customer)) {
                        return java(ex, customer, config, args);
                    }
                    long start = System.nanoTime();
                    try {
                        return lua.invoke(args);
                    } finally {
                        services.rollout().stats(module).luaCall(System.nanoTime() - start);
                    }
                }
            }
        }

        private Varargs java(Exchange ex, String customer, Object config, Varargs args) {
            BridgeExchange sx = bridge(ex, customer);
            BodyChunk chunk = phase == Phase.BODY_FILTER ? new ScopeChunk(scope) : null;
            if (stats == null) {
                stats = services.rollout().stats(module); // one per module for the process's life
            }
            return switch (StageCall.run(binding.module(), config, phase, sx, chunk, services, stats)) {
                case StageCall.Result.Continue c -> LuaValue.NONE;
                case StageCall.Result.Exit x -> exit(ex, x);
                case StageCall.Result.ToLua t -> lua.invoke(args);
            };
        }

        private Varargs exit(Exchange ex, StageCall.Result.Exit x) {
            ExitResponses.headers(ex, x.exit());
            x.exit().body().ifPresent(body -> ExitResponses.output(ex, x.exit(), body));
            // ngx.exit itself: unwinds the phase in request phases, records the status in header_filter
            exit.call(LuaValue.valueOf(x.exit().status()));
            return LuaValue.NONE;
        }
    }

    /** The body-filter chunk as {@code ngx.arg} holds it in the VM's scope. */
    private static final class ScopeChunk implements BodyChunk {
        private final RequestScope scope;

        ScopeChunk(RequestScope scope) {
            this.scope = scope;
        }

        @Override
        public byte[] bytes() {
            LuaValue v = scope.bodyChunk();
            if (!v.isstring()) {
                return new byte[0];
            }
            LuaString s = v.checkstring();
            if (s.m_offset == 0 && s.m_length == s.m_bytes.length) {
                return s.m_bytes;
            }
            return java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
        }

        @Override
        public boolean last() {
            return scope.bodyEof();
        }

        @Override
        public void replace(byte[] bytes) {
            scope.bodyChunk(LuaString.valueUsing(requireNonNull(bytes, "bytes")), scope.bodyEof());
        }

        @Override
        public void markLast() {
            scope.bodyChunk(scope.bodyChunk(), true);
        }
    }
}
