package dev.graft.host.bridge;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.config.ConfigError;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.lua.CallResult;
import dev.graft.host.lua.LuaLibrary;
import dev.graft.host.lua.LuaPipeline;
import dev.graft.host.lua.LuaScripts;
import dev.graft.host.lua.lib.NgxLibraries;
import dev.graft.host.lua.lib.NgxTime;
import dev.graft.host.rollout.LiveRollout;
import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.luaj.vm2.LuaValue;

/**
 * Builds one event loop's {@link BridgePipeline} for a config generation: the Lua VM with the
 * ngx libraries and the {@link JavaHandlers} module loader, the driver's init, the Lua side of
 * the settings check, and the {@link NativePipeline} over the same VM, clock and dicts.
 *
 * <p>The settings rule (issue 4: a config one side accepts and the other refuses is refused):
 * for each customer that the rollout serves from Java, the Java module must bind its settings
 * ({@link ModuleBindings}, at config load) and, when the Lua handler exposes
 * {@code validate(conf)}, Lua must accept them too: {@code validate} returns a true value, or
 * raises / returns {@code nil, message} to refuse. A handler without {@code validate} accepts
 * what its driver's init accepts (an object of settings). Customers served by Lua are not
 * checked against Java.
 */
public final class BridgePipelines {

    private BridgePipelines() {}

    /**
     * The proxy's pipeline factory for one config generation: the Java side is bound and the
     * first pipeline built now, on this thread, so that broken scripts or settings fail the start
     * or reload here; the first loop takes that pipeline over, the others build their own.
     *
     * @throws IllegalStateException with the reason, when the config does not build
     */
    public static dev.graft.host.proxy.PipelineFactory factory(GraftConfig config, SharedDicts dicts,
            InstantSource clock, GraftMetrics metrics) {
        return factory(config, dicts, clock, metrics, new LiveRollout(config.rollout()));
    }

    /**
     * As {@link #factory(GraftConfig, SharedDicts, InstantSource, GraftMetrics)}, with the
     * process's live mode table (kept across reloads by the server).
     */
    public static dev.graft.host.proxy.PipelineFactory factory(GraftConfig config, SharedDicts dicts,
            InstantSource clock, GraftMetrics metrics, LiveRollout live) {
        requireNonNull(live, "live");
        ModuleBindings bindings = bindings(config);
        LuaScripts scripts = LuaScripts.open(config.scripts());
        int workers = Runtime.getRuntime().availableProcessors();
        AtomicReference<BridgePipeline> first = new AtomicReference<>(
                switch (build(config, bindings, scripts, dicts, clock, metrics, 0, workers, live)) {
                    case Built.Ready r -> r.pipeline();
                    case Built.Failed f -> throw new IllegalStateException(f.message());
                });
        java.util.concurrent.atomic.AtomicInteger nextId = new java.util.concurrent.atomic.AtomicInteger(1);
        return loop -> {
            BridgePipeline ready = first.getAndSet(null);
            if (ready != null) {
                return ready;
            }
            return switch (build(config, bindings, scripts, dicts, clock, metrics, nextId.getAndIncrement(), workers,
                    live)) {
                case Built.Ready r -> r.pipeline();
                case Built.Failed f -> throw new IllegalStateException(f.message());
            };
        };
    }

    /** Builds one pipeline and drops it: empty when it builds, else why not (check-config). */
    public static java.util.Optional<String> check(GraftConfig config) {
        Clock clock = Clock.systemUTC();
        try {
            return switch (build(config, bindings(config), LuaScripts.open(config.scripts()),
                    SharedDicts.of(config.sharedDicts(), clock), clock, GraftMetrics.NONE, 0, 1)) {
                case Built.Ready r -> java.util.Optional.empty();
                case Built.Failed f -> java.util.Optional.of(f.message());
            };
        } catch (IllegalStateException | IllegalArgumentException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /** The config's Java side with the modules on the classpath. */
    public static ModuleBindings bindings(GraftConfig config) {
        return switch (ModuleBindings.bind(config, StageModules.discover())) {
            case ModuleBindings.Result.Bound b -> b.bindings();
            case ModuleBindings.Result.Refused r -> throw new IllegalStateException(
                    String.join("; ", r.errors().stream().map(ConfigError::message).toList()));
        };
    }

    /** A built pipeline, or why it does not build. */
    public sealed interface Built {
        record Ready(BridgePipeline pipeline) implements Built {}

        record Failed(String message) implements Built {}
    }

    /**
     * Builds the pipeline of loop {@code workerId} of {@code workers}.
     *
     * @param bindings the config's Java side, bound from {@code modules}
     */
    public static Built build(GraftConfig config, ModuleBindings bindings, LuaScripts scripts, SharedDicts dicts,
            InstantSource clock, GraftMetrics metrics, int workerId, int workers) {
        return build(config, bindings, scripts, dicts, clock, metrics, workerId, workers,
                new LiveRollout(requireNonNull(config, "config").rollout()));
    }

    /** As the method above, with a live mode table that the Java-backed handlers consult per request. */
    public static Built build(GraftConfig config, ModuleBindings bindings, LuaScripts scripts, SharedDicts dicts,
            InstantSource clock, GraftMetrics metrics, int workerId, int workers, LiveRollout live) {
        requireNonNull(config, "config");
        requireNonNull(live, "live");
        requireNonNull(bindings, "bindings");
        AtomicReference<NgxTime> time = new AtomicReference<>();
        Clock ngxClock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return Clock.fixed(instant(), zone);
            }

            @Override
            public long millis() {
                return time.get().cachedMillis();
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis());
            }
        };
        String defaultUpstream = config.defaultUpstream() == null ? "" : config.defaultUpstream();
        LoopServices services = new LoopServices(dicts, ngxClock, new SplittableRandom(), defaultUpstream, metrics,
                live, java.util.Optional.of(config));
        JavaHandlers handlers = new JavaHandlers(bindings, services);
        LuaLibrary ngx = (g, t) -> time.set(NgxLibraries.installAll(g, t, dicts, clock));
        Runnable refresh = () -> time.get().refresh();
        LuaPipeline lua;
        switch (LuaPipeline.create(config, scripts, metrics, workerId, workers, List.of(ngx, handlers), refresh)) {
            case LuaPipeline.Build.Ready r -> lua = r.pipeline();
            case LuaPipeline.Build.Failed f -> {
                return new Built.Failed(f.message());
            }
        }
        handlers.attach(lua.vm());
        LuaValue driverConfig = driverConfig(lua);
        if (!driverConfig.istable()) {
            return new Built.Failed("pipeline: require(\"pipeline\").config() is not the config table (expected: "
                    + "the driver's config function, for the native path's Lua fallbacks)");
        }
        List<ConfigError> refused = luaRefusals(config, bindings, handlers, lua, driverConfig);
        if (!refused.isEmpty()) {
            return new Built.Failed(String.join("; ", refused.stream().map(ConfigError::message).toList()));
        }
        NativePlan plan = NativePlan.of(config, bindings);
        NativePipeline nativePipeline = new NativePipeline(plan, services, lua.vm(), handlers, driverConfig, refresh);
        return new Built.Ready(new BridgePipeline(lua, nativePipeline, plan, metrics, live));
    }

    /** The table the driver's init got: {@code require("pipeline").config()}. */
    private static LuaValue driverConfig(LuaPipeline lua) {
        CallResult driver = lua.vm().require("pipeline");
        if (driver instanceof CallResult.Returned r && r.values().arg1().get("config").isfunction()) {
            CallResult c = lua.vm().callInit(r.values().arg1().get("config"), LuaValue.NONE);
            if (c instanceof CallResult.Returned cr && cr.values().arg1().istable()) {
                return cr.values().arg1();
            }
        }
        return LuaValue.NIL;
    }

    /** Java-served customers whose settings the Lua handler's {@code validate} refuses. */
    private static List<ConfigError> luaRefusals(GraftConfig config, ModuleBindings bindings, JavaHandlers handlers,
            LuaPipeline lua, LuaValue driverConfig) {
        List<ConfigError> out = new ArrayList<>();
        bindings.modules().forEach((module, binding) -> {
            LuaValue validate = handlers.luaHandler(module).map(t -> t.rawget("validate")).orElse(LuaValue.NIL);
            if (!validate.isfunction()) {
                return;
            }
            for (String customer : binding.configs().keySet()) {
                LuaValue conf = driverConfig.get("customers").get(customer).get("modules").get(module);
                String path = "customers." + customer + ".modules." + module;
                switch (lua.vm().callInit(validate, conf)) {
                    case CallResult.Returned r -> {
                        if (!r.values().arg1().toboolean()) {
                            out.add(new ConfigError(path, r.values().arg(2).isnil() ? "refused"
                                    : r.values().arg(2).tojstring(), "settings both sides accept: the Java module "
                                    + "accepts them, the Lua handler's validate refuses them"));
                        }
                    }
                    case CallResult.Failed f -> out.add(new ConfigError(path, f.message(),
                            "settings both sides accept: the Java module accepts them, the Lua handler's validate "
                            + "refuses them"));
                    case CallResult.Exited x -> out.add(new ConfigError(path, "ngx.exit in validate",
                            "a validate that returns"));
                    case CallResult.Jumped x -> out.add(new ConfigError(path, "a jump in validate",
                            "a validate that returns"));
                    case CallResult.BudgetStopped b -> out.add(new ConfigError(path, "budget exhausted at "
                            + b.location(), "a validate that returns"));
                }
            }
        });
        return out;
    }
}
