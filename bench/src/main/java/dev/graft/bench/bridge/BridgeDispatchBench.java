package dev.graft.bench.bridge;

import dev.graft.bench.stage.JavaStages;
import dev.graft.bench.stage.StageInput;
import dev.graft.bench.stage.StageInputs;
import dev.graft.bridge.StageExchange;
import dev.graft.host.exchange.Exchange;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * The parts of the bridge that need the host's {@link StageExchange} adapter: a header read
 * through the typed view (to set against {@link BridgeBench#ngxVarHeader}). bench/run.sh runs
 * it only when {@link JavaStages#adapter()} exists.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BridgeDispatchBench {

    private StageExchange view;
    private Exchange ex;
    private Function<Exchange, StageExchange> adapter;

    @Setup(Level.Trial)
    public void setUp() {
        adapter = JavaStages.adapter().orElseThrow(
                () -> new IllegalStateException("not available yet: the host's StageExchange adapter"));
        StageInput request = StageInputs.of("waf", "clean");
        ex = request.exchange();
        view = adapter.apply(ex);
    }

    @Benchmark
    public Object typedViewHeader() {
        return view.request().headers().first("User-Agent");
    }

    @Benchmark
    public StageExchange adapterCreate() {
        return adapter.apply(ex);
    }
}
