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
 * Building each stage input's exchange alone (and its origin head): the part of every stage score
 * that is not the stage, measured per input so the report can take it off the matching score.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExchangeBuildBench {

    @Param({"normalize", "redirects", "headers", "ip_rules", "waf", "ratelimit", "auth", "cors", "router", "cache",
            "accesslog"})
    public String module;

    @Param({"clean", "hit"})
    public String input;

    private StageInput request;

    @Setup(Level.Trial)
    public void setUp() {
        request = StageInputs.of(module, input);
    }

    @Benchmark
    public Exchange build() {
        Exchange ex = request.exchange();
        StageRun.originResponse(ex);
        return ex;
    }
}
