package dev.graft.bench.stage;

import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageModule;
import dev.graft.host.exchange.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * Each module's Java port with its demo settings, on the same fresh exchange per operation as
 * {@link LuaStageBench}, seen through the host's {@link StageExchange} adapter. bench/run.sh
 * passes only the modules whose port exists ({@code -p module=...}).
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

    private Bound<?> bound;
    private StageInput request;
    private Function<Exchange, StageExchange> adapter;

    @Setup(Level.Trial)
    public void setUp() {
        JavaStages.availability(module).ifPresent(why -> {
            throw new IllegalStateException("not available yet: " + why);
        });
        adapter = JavaStages.adapter().orElseThrow();
        StageModule<?> m = JavaStages.modules().get(module);
        LuaStages lua = LuaStages.load(); // for the demo settings only
        bound = Bound.of(m, lua.settings(StageInputs.CUSTOMER.get(module), module));
        request = StageInputs.of(module, input);
        bound.run(request.exchange(), adapter);
    }

    @Benchmark
    public int stage() {
        return bound.run(request.exchange(), adapter);
    }

    /** A module with its bound settings and the phases it declares, in phase order. */
    record Bound<C>(StageModule<C> module, C config, Phase[] phases) {
        static <C> Bound<C> of(StageModule<C> m, com.fasterxml.jackson.databind.JsonNode settings) {
            List<Phase> phases = new ArrayList<>();
            for (Phase p : Phase.values()) {
                if (m.phases().contains(p) && p != Phase.BODY_FILTER && p != Phase.CONTENT) {
                    phases.add(p);
                }
            }
            return new Bound<>(m, JavaStages.bind(m, settings), phases.toArray(Phase[]::new));
        }

        /** The same sequence as {@link LuaStages.Handler#run}; returns the response status. */
        int run(Exchange ex, Function<Exchange, StageExchange> adapter) {
            StageExchange view = adapter.apply(ex);
            boolean ended = false;
            for (Phase p : phases) {
                if (p == Phase.HEADER_FILTER && !ended) {
                    StageRun.originResponse(ex);
                }
                ex.phase(p);
                Outcome o = switch (p) {
                    case REWRITE -> module.rewrite(view, config);
                    case ACCESS -> module.access(view, config);
                    case HEADER_FILTER -> module.headerFilter(view, config);
                    case LOG -> module.log(view, config);
                    case CONTENT, BODY_FILTER -> Outcome.proceed();
                };
                switch (o) {
                    case Outcome.Continue c -> { }
                    case Outcome.Exit e -> {
                        if (!ended) {
                            ex.status(e.status());
                            ended = true;
                        }
                    }
                    case Outcome.Fallback f -> throw new IllegalStateException(
                            module.name() + " fell back in " + p.luaName() + ": " + f.reason()
                                    + " (expected: the port to handle the benchmark input)");
                }
            }
            return ex.status();
        }
    }
}
