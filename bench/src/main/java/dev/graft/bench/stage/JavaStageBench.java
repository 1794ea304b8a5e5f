package dev.graft.bench.stage;

import dev.graft.host.exchange.Exchange;
import java.util.Set;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each module's Java port with its demo settings, on the same inputs and through the same
 * driver-side calls as {@link LuaStageBench}: the host's Java-backed handler table (what
 * {@code require("<module>.handler")} returns when the rollout serves the module from Java)
 * builds the {@code StageExchange} view and runs the port. The score so includes the bridge's
 * per-call cost, which {@code BridgeBench} measures alone. bench/run.sh passes only the modules
 * whose port exists ({@code -p module=...}); a port that falls back to Lua fails the benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JavaStageBench {

    @Param({"normalize", "redirects", "headers", "ip_rules", "waf", "ratelimit", "auth", "cors", "router", "cache",
            "accesslog"})
    public String module;

    @Param({"clean", "hit"})
    public String input;

    private LuaStages stages;
    private LuaStages.Handler handler;
    private StageInput request;

    @Setup(Level.Trial)
    public void setUp() {
        JavaStages.availability(module).ifPresent(why -> {
            throw new IllegalStateException("not available yet: " + why);
        });
        stages = LuaStages.load(Set.of(module));
        handler = stages.handler(module, StageInputs.CUSTOMER.get(module));
        request = StageInputs.of(module, input);
        handler.run(request.exchange());
        checkNoFallback();
    }

    @Benchmark
    public int stage() {
        Exchange ex = request.exchange();
        return handler.run(ex);
    }

    @TearDown(Level.Trial)
    public void checkNoFallback() {
        if (stages.fallbacksAndExceptions() > 0) {
            throw new IllegalStateException(module + " (" + input + "): the Java stage fell back to Lua or threw "
                    + stages.fallbacksAndExceptions() + " times (expected: none, or this measured Lua)");
        }
    }
}
