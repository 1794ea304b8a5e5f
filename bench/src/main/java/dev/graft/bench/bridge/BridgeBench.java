package dev.graft.bench.bridge;

import dev.graft.bench.stage.StageInput;
import dev.graft.bench.stage.StageInputs;
import dev.graft.bridge.Phase;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.bridge.JavaHandlers;
import dev.graft.host.bridge.LoopServices;
import dev.graft.host.bridge.ModuleBindings;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.CallResult;
import dev.graft.host.lua.LuaScripts;
import dev.graft.host.lua.LuaVm;
import dev.graft.host.lua.lib.NgxLibraries;
import dev.graft.host.lua.ngx.NgxApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.OneArgFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bridge's own costs, on one VM built as the proxy builds it (the ngx libraries and the
 * host's {@link JavaHandlers}), each benchmark one driver call as {@code pipeline.lua} makes it:
 * {@code local f = handler.access; if f then f(conf) end}.
 *
 * <ul>
 *   <li>Calling a stage: {@code driverCallsNothing} (the same call without a stage),
 *       {@code driverCallsEmptyLuaStage} (a Lua handler that does nothing),
 *       {@code driverCallsJavaStage} (the host's Java-backed handler of a Java stage that does
 *       nothing: the bridge's whole per-call cost, view included), and
 *       {@code driverCallsJavaFunction} (a bare Java function: LuaJ's floor).</li>
 *   <li>Reading a request header, ten reads per call: {@code ngxVarHeader}
 *       ({@code ngx.var.http_user_agent}) and {@code ngxGetHeaders}
 *       ({@code ngx.req.get_headers()["user-agent"]}) against {@code luaLoopBaseline} (the same
 *       loop reading a table field); {@code typedViewHeader} (a Java stage reading
 *       {@code request().headers().first("User-Agent")}) against {@code driverCallsJavaStage};
 *       {@code exchangeHeader} is Netty's lookup alone, the floor. {@code ngxVarHeaderFreshValue}
 *       is {@code ngxVarHeader} with a value not yet converted (the first read of a request).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BridgeBench {

    static final int READS = 10;

    private LuaVm vm;
    private Exchange ex;
    private LuaValue callsNothing;
    private LuaValue callsEmptyLua;
    private LuaValue callsJavaStage;
    private LuaValue callsJavaFunction;
    private LuaValue varHeader;
    private LuaValue getHeaders;
    private LuaValue loopBaseline;
    private LuaValue typedHeader;
    private String userAgent;
    private static final io.netty.util.AsciiString USER_AGENT = io.netty.util.AsciiString.cached("User-Agent");

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path scripts = Files.createTempDirectory("graft-bridge-bench");
        String noop = "local M = {}\nfunction M.access(conf) end\nreturn M\n";
        write(scripts, "noop_lua/handler.lua", noop);
        write(scripts, "noop_java/handler.lua", noop);
        write(scripts, "header_java/handler.lua", """
                local M = {}
                local var = ngx.var
                function M.access(conf)
                    local v
                    for i = 1, 10 do v = var.http_user_agent end
                end
                return M
                """);
        BenchModules.NoSettings none = new BenchModules.NoSettings();
        ModuleBindings bindings = new ModuleBindings(Map.of(
                "noop_java", new ModuleBindings.Binding(new BenchModules.Noop("noop_java"), Map.of("shop", none)),
                "header_java", new ModuleBindings.Binding(new BenchModules.HeaderReads("header_java"),
                        Map.of("shop", none))));
        LoopServices services = new LoopServices(SharedDicts.empty(), Clock.systemUTC(), new SplittableRandom(1),
                "origin-a", GraftMetrics.NONE);
        JavaHandlers handlers = new JavaHandlers(bindings, services);
        vm = LuaVm.create(LuaScripts.open(scripts), new NgxApi.Settings(0, 1, "origin-a"), 1_000_000,
                List.of((g, ngx) -> NgxLibraries.installAll(g, ngx, SharedDicts.empty(), InstantSource.system()),
                        handlers));
        handlers.attach(vm);

        StageInput request = StageInputs.of("waf", "clean"); // a shop.test request with browser headers
        ex = request.exchange();
        userAgent = ex.requestHeaders().get(USER_AGENT);
        LuaTable ctx = new LuaTable();
        ctx.set("customer", "shop");
        ex.luaCtx(ctx);

        LuaTable javaFunction = new LuaTable();
        javaFunction.set("access", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue conf) {
                return NONE;
            }
        });
        callsNothing = driver("{}");
        callsEmptyLua = driver("require(\"noop_lua.handler\")");
        callsJavaStage = driver("require(\"noop_java.handler\")");
        typedHeader = driver("require(\"header_java.handler\")");
        callsJavaFunction = ((LuaValue) vm.globals().load("""
                local h = ...
                local conf = {}
                return function()
                    local f = h.access
                    if f then f(conf) end
                end
                """, "driver.lua")).call(javaFunction);
        varHeader = chunk("""
                local var = ngx.var
                return function()
                    local v
                    for i = 1, 10 do v = var.http_user_agent end
                    return v
                end
                """);
        getHeaders = chunk("""
                local get_headers = ngx.req.get_headers
                return function()
                    local v
                    for i = 1, 10 do v = get_headers()["user-agent"] end
                    return v
                end
                """);
        loopBaseline = chunk("""
                local t = { http_user_agent = "x" }
                return function()
                    local v
                    for i = 1, 10 do v = t.http_user_agent end
                    return v
                end
                """);
        for (LuaValue fn : new LuaValue[] {callsNothing, callsEmptyLua, callsJavaStage, callsJavaFunction, typedHeader,
                varHeader, getHeaders, loopBaseline}) {
            CallResult r = vm.call(ex, Phase.ACCESS, fn, LuaValue.NONE);
            if (!(r instanceof CallResult.Returned)) {
                throw new IllegalStateException("bridge benchmark chunk: " + r);
            }
        }
        if (handlers.luaHandler("noop_java").isEmpty()) {
            throw new IllegalStateException("noop_java: the driver did not get the Java-backed handler");
        }
    }

    private static void write(Path dir, String relative, String text) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    /** The driver's call of {@code handler}'s access phase, as pipeline.lua makes it. */
    private LuaValue driver(String handler) {
        return chunk("local h = " + handler + "\nlocal conf = {}\nreturn function()\n  local f = h.access"
                + "\n  if f then f(conf) end\nend\n");
    }

    private LuaValue chunk(String code) {
        return vm.globals().load(code, "bench.lua").call();
    }

    @Benchmark
    public CallResult driverCallsNothing() {
        return vm.call(ex, Phase.ACCESS, callsNothing, LuaValue.NONE);
    }

    @Benchmark
    public CallResult driverCallsEmptyLuaStage() {
        return vm.call(ex, Phase.ACCESS, callsEmptyLua, LuaValue.NONE);
    }

    @Benchmark
    public CallResult driverCallsJavaStage() {
        return vm.call(ex, Phase.ACCESS, callsJavaStage, LuaValue.NONE);
    }

    @Benchmark
    public CallResult driverCallsJavaFunction() {
        return vm.call(ex, Phase.ACCESS, callsJavaFunction, LuaValue.NONE);
    }

    @Benchmark
    public CallResult ngxVarHeader() {
        return vm.call(ex, Phase.ACCESS, varHeader, LuaValue.NONE);
    }

    /**
     * {@link #ngxVarHeader} on a header value the VM has not converted yet, as the first read in
     * a request is (the proxy's decoder makes a new string per request; ngx.var reuses the Lua
     * string only while the value is the same instance): the value is replaced by a fresh copy
     * before each call, so one read of ten converts it. The replacement is in the score.
     */
    @Benchmark
    public CallResult ngxVarHeaderFreshValue() {
        ex.requestHeaders().set(USER_AGENT, new String(userAgent));
        return vm.call(ex, Phase.ACCESS, varHeader, LuaValue.NONE);
    }

    @Benchmark
    public CallResult ngxGetHeaders() {
        return vm.call(ex, Phase.ACCESS, getHeaders, LuaValue.NONE);
    }

    @Benchmark
    public CallResult luaLoopBaseline() {
        return vm.call(ex, Phase.ACCESS, loopBaseline, LuaValue.NONE);
    }

    @Benchmark
    public CallResult typedViewHeader() {
        return vm.call(ex, Phase.ACCESS, typedHeader, LuaValue.NONE);
    }

    @Benchmark
    public String exchangeHeader() {
        return ex.requestHeaders().get("User-Agent");
    }
}
