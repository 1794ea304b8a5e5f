package dev.graft.bench.stage;

import dev.graft.host.exchange.Exchange;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each module's Lua handler on LuaJ, with its demo settings, on a fresh exchange per operation
 * (the exchange build is in the score: {@link ExchangeBuildBench} measures it alone). The same
 * inputs as {@link JavaStageBench}, so the two scores compare one to one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LuaStageBench {

    @Param({"normalize", "redirects", "headers", "ip_rules", "waf", "ratelimit", "auth", "cors", "router", "cache",
            "accesslog"})
    public String module;

    @Param({"clean", "hit"})
    public String input;

    private LuaStages.Handler handler;
    private StageInput request;

    @Setup(Level.Trial)
    public void setUp() {
        LuaStages stages = LuaStages.load();
        handler = stages.handler(module, StageInputs.CUSTOMER.get(module));
        request = StageInputs.of(module, input);
        handler.run(request.exchange()); // fail here, not in the measurement, if the stage breaks
    }

    @Benchmark
    public int stage() {
        Exchange ex = request.exchange();
        return handler.run(ex);
    }
}
