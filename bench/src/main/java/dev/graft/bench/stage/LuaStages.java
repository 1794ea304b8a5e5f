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
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The demo config's Lua side, ready for stage benchmarks: one VM with the full {@code ngx}
 * library set over the real legacy scripts, as one event loop of the proxy has it.
 */
public final class LuaStages {

    private final GraftConfig config;
    private final LuaVm vm;
    private final NgxTime time;

    private LuaStages(GraftConfig config, LuaVm vm, NgxTime time) {
        this.config = config;
        this.vm = vm;
        this.time = time;
    }

    /** Loads legacy-scripts/graft.json and builds one VM over its scripts. */
    public static LuaStages load() {
        GraftConfig config = switch (ConfigLoader.load(BenchHome.demoConfig())) {
            case ConfigResult.Valid v -> v.config();
            case ConfigResult.Invalid i -> throw new IllegalStateException("demo config: " + i.errors());
        };
        SharedDicts dicts = SharedDicts.of(config.sharedDicts(), InstantSource.system());
        NgxTime[] time = new NgxTime[1];
        LuaVm vm = LuaVm.create(LuaScripts.open(config.scripts()), new NgxApi.Settings(0, 1, config.defaultUpstream()),
                config.luaInstructionBudget(),
                List.of((g, ngx) -> time[0] = NgxLibraries.installAll(g, ngx, dicts, InstantSource.system())));
        return new LuaStages(config, vm, time[0]);
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
