package dev.graft.bench.bridge;

import dev.graft.bench.stage.LuaStages;
import dev.graft.bench.stage.StageInput;
import dev.graft.bench.stage.StageInputs;
import dev.graft.bridge.Phase;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.CallResult;
import dev.graft.host.lua.LuaVm;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bridge's own costs, measured on one VM built as the proxy builds it.
 *
 * <ul>
 *   <li>The driver's call of a stage: {@code driverCallsEmptyLuaStage} (a Lua handler whose
 *       phase function does nothing) against {@code driverCallsNothing} (the same call without
 *       the stage) and {@code driverCallsJavaFunction} (a Java function in the handler table: the
 *       LuaJ floor of any Java-backed handler). The host's real Java-backed handler is measured
 *       by {@link BridgeDispatchBench} once the dispatch exists.</li>
 *   <li>A request header read: {@code ngxVarHeader} ({@code ngx.var.http_user_agent}) and
 *       {@code ngxGetHeaders} ({@code ngx.req.get_headers()["user-agent"]}), ten reads per
 *       call, against {@code luaLoopBaseline} (the same loop reading a table field); the
 *       difference per read is what {@code ngx} costs. {@code exchangeHeader} is Netty's header
 *       lookup itself, the floor of the typed view.</li>
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
    private LuaValue callsJava;
    private LuaValue varHeader;
    private LuaValue getHeaders;
    private LuaValue loopBaseline;

    @Setup(Level.Trial)
    public void setUp() {
        LuaStages stages = LuaStages.load();
        vm = stages.vm();
        StageInput request = StageInputs.of("waf", "clean");
        ex = request.exchange();
        ex.luaCtx(new LuaTable());
        LuaTable javaHandler = new LuaTable();
        javaHandler.set("access", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue conf) {
                return NONE;
            }
        });
        callsNothing = driver("local h = {}", "h.none");
        callsEmptyLua = driver("local h = { access = function(conf) end }", "h.access");
        callsJava = ((LuaValue) vm.globals().load("""
                local h = ...
                local conf = {}
                return function()
                    local f = h.access
                    if f then f(conf) end
                end
                """, "driver.lua")).call(javaHandler);
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
        for (LuaValue fn : new LuaValue[] {callsNothing, callsEmptyLua, callsJava, varHeader, getHeaders, loopBaseline}) {
            CallResult r = vm.call(ex, Phase.ACCESS, fn, LuaValue.NONE);
            if (!(r instanceof CallResult.Returned)) {
                throw new IllegalStateException("bridge benchmark chunk: " + r);
            }
        }
    }

    private LuaValue driver(String handler, String field) {
        return chunk(handler + "\nlocal conf = {}\nreturn function()\n  local f = " + field
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
    public CallResult driverCallsJavaFunction() {
        return vm.call(ex, Phase.ACCESS, callsJava, LuaValue.NONE);
    }

    @Benchmark
    @OperationsPerInvocation(READS)
    public CallResult ngxVarHeader() {
        return vm.call(ex, Phase.ACCESS, varHeader, LuaValue.NONE);
    }

    @Benchmark
    @OperationsPerInvocation(READS)
    public CallResult ngxGetHeaders() {
        return vm.call(ex, Phase.ACCESS, getHeaders, LuaValue.NONE);
    }

    @Benchmark
    @OperationsPerInvocation(READS)
    public CallResult luaLoopBaseline() {
        return vm.call(ex, Phase.ACCESS, loopBaseline, LuaValue.NONE);
    }

    @Benchmark
    public String exchangeHeader() {
        return ex.requestHeaders().get("User-Agent");
    }
}
