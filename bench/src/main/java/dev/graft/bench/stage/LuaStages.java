package dev.graft.bench.stage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.bench.BenchHome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.CallResult;
import dev.graft.host.lua.JsonToLua;
import dev.graft.host.lua.LuaScripts;
import dev.graft.host.lua.LuaVm;
import dev.graft.host.lua.lib.NgxLibraries;
import dev.graft.host.lua.lib.NgxTime;
import dev.graft.host.lua.ngx.NgxApi;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.bridge.BridgePipelines;
import dev.graft.host.bridge.JavaHandlers;
import dev.graft.host.bridge.LoopServices;
import dev.graft.host.bridge.ModuleBindings;
import dev.graft.host.config.ConfigError;
import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The demo config's stages, ready for benchmarks: one VM with the full {@code ngx} library set
 * over the real legacy scripts and the host's Java-backed handlers ({@link JavaHandlers}), as one
 * event loop of the proxy has it. The modules named Java are served by their ports exactly as
 * the Lua driver calls them in a half-and-half pipeline: {@code require("<module>.handler")}
 * returns the Java-backed table; every other module is its Lua handler.
 */
public final class LuaStages {

    private final GraftConfig config;
    private final LuaVm vm;
    private final NgxTime time;
    private final FallbackCount fallbacks;

    private LuaStages(GraftConfig config, LuaVm vm, NgxTime time, FallbackCount fallbacks) {
        this.config = config;
        this.vm = vm;
        this.time = time;
        this.fallbacks = fallbacks;
    }

    /** Loads legacy-scripts/graft.json and builds one VM over its scripts, every module in Lua. */
    public static LuaStages load() {
        return load(Set.of());
    }

    /**
     * As {@link #load()}, with {@code javaModules} served by their Java ports (the config's
     * rollout section says {@code "mode": "java"} for them).
     *
     * @throws IllegalStateException when the host refuses that config (a port missing, settings
     *                               that do not bind)
     */
    public static LuaStages load(Set<String> javaModules) {
        ObjectNode raw;
        try {
            raw = (ObjectNode) JSON.readTree(BenchHome.demoConfig().toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        raw.remove("rollout"); // the demo config's own rollout: here only javaModules are Java
        if (!javaModules.isEmpty()) {
            ObjectNode rollout = raw.putObject("rollout");
            javaModules.forEach(m -> rollout.putObject(m).put("mode", "java"));
        }
        GraftConfig config = switch (ConfigLoader.parse(raw.toString(), BenchHome.demoConfig().getParent(), "bench")) {
            case ConfigResult.Valid v -> v.config();
            case ConfigResult.Invalid i -> throw new IllegalStateException("demo config with Java " + javaModules
                    + ": " + i.errors().stream().map(ConfigError::message).toList());
        };
        ModuleBindings bindings = javaModules.isEmpty() ? ModuleBindings.NONE : BridgePipelines.bindings(config);
        SharedDicts dicts = SharedDicts.of(config.sharedDicts(), InstantSource.system());
        NgxTime[] time = new NgxTime[1];
        FallbackCount fallbacks = new FallbackCount();
        LoopServices services = new LoopServices(dicts, Clock.systemUTC(), new SplittableRandom(42),
                config.defaultUpstream() == null ? "" : config.defaultUpstream(), fallbacks);
        JavaHandlers handlers = new JavaHandlers(bindings, services);
        LuaVm vm = LuaVm.create(LuaScripts.open(config.scripts()), new NgxApi.Settings(0, 1, config.defaultUpstream()),
                config.luaInstructionBudget(),
                List.of((g, ngx) -> time[0] = NgxLibraries.installAll(g, ngx, dicts, InstantSource.system()), handlers));
        handlers.attach(vm);
        return new LuaStages(config, vm, time[0], fallbacks);
    }

    private static final JsonMapper JSON = new JsonMapper();

    /** Counts the Java stages' fallbacks to Lua: a Java benchmark that fell back measured Lua. */
    static final class FallbackCount implements GraftMetrics {
        long fallbacks;
        long exceptions;

        @Override public void requestServed(String customer, int status) {}
        @Override public void upstreamLatency(String upstream, long nanos) {}
        @Override public void upstreamFailure(String upstream, String kind) {}
        @Override public void luaError(String module) {}
        @Override public void budgetStop(String module) {}
        @Override public void stageFallback(String module, String reason) {
            fallbacks++;
        }
        @Override public void stageException(String module) {
            exceptions++;
        }
    }

    /** Java stage fallbacks and exceptions since the VM was built. */
    public long fallbacksAndExceptions() {
        return fallbacks.fallbacks + fallbacks.exceptions;
    }

    public GraftConfig config() {
        return config;
    }

    public LuaVm vm() {
        return vm;
    }

    /** The customer's settings of a module, as JSON. */
    public JsonNode settings(String customer, String module) {
        JsonNode s = config.raw().path("customers").path(customer).path("modules").path(module);
        if (s.isMissingNode()) {
            throw new IllegalArgumentException("module: " + module + " (expected: settings under customer " + customer + ")");
        }
        return s;
    }

    /** A module's Lua handler: its phase functions, in phase order, and its settings table. */
    public Handler handler(String module, String customer) {
        requireNonNull(module, "module");
        CallResult r = vm.require(module + ".handler");
        if (!(r instanceof CallResult.Returned ret) || !ret.values().arg1().istable()) {
            throw new IllegalStateException("require(\"" + module + ".handler\"): " + r);
        }
        LuaValue table = ret.values().arg1();
        List<Phase> phases = new ArrayList<>();
        List<LuaValue> fns = new ArrayList<>();
        for (Phase p : Phase.values()) {
            LuaValue fn = table.get(p.luaName());
            if (fn.isfunction() && p != Phase.BODY_FILTER && p != Phase.CONTENT) {
                phases.add(p);
                fns.add(fn);
            }
        }
        return new Handler(this, customer, LuaValue.valueOf(customer), phases, fns,
                JsonToLua.convert(settings(customer, module)));
    }

    /** One module's handler with its settings; {@link #run} is one request through it. */
    public static final class Handler {
        private static final LuaValue CUSTOMER = LuaValue.valueOf("customer");
        private final LuaStages owner;
        private final String customer;
        private final LuaValue customerValue;
        private final List<Phase> phases;
        private final LuaValue[] fns;
        private final LuaValue conf;

        Handler(LuaStages owner, String customer, LuaValue customerValue, List<Phase> phases, List<LuaValue> fns,
                LuaValue conf) {
            this.owner = owner;
            this.customer = customer;
            this.customerValue = customerValue;
            this.phases = List.copyOf(phases);
            this.fns = fns.toArray(LuaValue[]::new);
            this.conf = conf;
        }

        public List<Phase> phases() {
            return phases;
        }

        public String customer() {
            return customer;
        }

        /**
         * Runs the module's phases on {@code ex} as the driver would: the request phases, then,
         * unless one of them ended the request, a 200 from the origin, then header_filter and log.
         * Returns the response status.
         */
        public int run(Exchange ex) {
            owner.time.refresh();
            LuaTable ctx = new LuaTable();
            ctx.rawset(CUSTOMER, customerValue);
            ex.luaCtx(ctx);
            LuaVm vm = owner.vm;
            boolean ended = false;
            for (int i = 0; i < fns.length; i++) {
                Phase p = phases.get(i);
                if (p == Phase.HEADER_FILTER && !ended) {
                    StageRun.originResponse(ex);
                }
                CallResult r = vm.call(ex, p, fns[i], conf);
                if (r instanceof CallResult.Exited e && e.status() >= 200 && !ended) {
                    ex.status(e.status());
                    ended = true;
                } else if (r instanceof CallResult.Failed f) {
                    throw new IllegalStateException(p.luaName() + ": " + f.message());
                }
            }
            return ex.status();
        }
    }
}
