package dev.graft.bench.bridge;

import dev.graft.bench.BenchHome;
import dev.graft.bench.load.RequestMix;
import dev.graft.bench.stage.StageInput;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.bridge.JavaHandlers;
import dev.graft.host.bridge.LoopServices;
import dev.graft.host.bridge.ModuleBindings;
import dev.graft.host.config.ConfigError;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline;
import dev.graft.host.lua.LuaPipeline;
import dev.graft.host.lua.LuaScripts;
import dev.graft.host.lua.lib.NgxLibraries;
import dev.graft.host.lua.lib.NgxTime;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 * The whole legacy pipeline on one VM, all in Lua, per request of the load benchmark's mix
 * ({@link RequestMix}: the same kinds, weights and order): rewrite and access, then for a
 * proxied request a 200 origin head with a 1 KiB body through header_filter and body_filter,
 * then log. What the proxy's CPU per request is made of, without sockets; the Lua host's share
 * of the end-to-end all-Lua figure, for profiling (JFR) and before/after comparisons.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBench {

    private static final byte[] ORIGIN_BODY = new byte[1024];

    private LuaPipeline pipeline;
    private List<StageInput> requests;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String json = Files.readString(BenchHome.demoConfig());
        GraftConfig config = switch (ConfigLoader.parse(json, BenchHome.demoConfig().getParent(), "bench")) {
            case ConfigResult.Valid v -> v.config();
            case ConfigResult.Invalid i -> throw new IllegalStateException("demo config: "
                    + i.errors().stream().map(ConfigError::message).toList());
        };
        SharedDicts dicts = SharedDicts.of(config.sharedDicts(), InstantSource.system());
        String upstream = config.defaultUpstream() == null ? "" : config.defaultUpstream();
        JavaHandlers handlers = new JavaHandlers(ModuleBindings.NONE, new LoopServices(dicts, Clock.systemUTC(),
                new SplittableRandom(42), upstream, GraftMetrics.NONE));
        AtomicReference<NgxTime> time = new AtomicReference<>();
        pipeline = switch (LuaPipeline.create(config, LuaScripts.open(config.scripts()), GraftMetrics.NONE, 0, 1,
                List.of((g, ngx) -> time.set(NgxLibraries.installAll(g, ngx, dicts, InstantSource.system())), handlers),
                () -> time.get().refresh())) {
            case LuaPipeline.Build.Ready r -> r.pipeline();
            case LuaPipeline.Build.Failed f -> throw new IllegalStateException(f.message());
        };
        handlers.attach(pipeline.vm());
        List<StageInput> kinds = new ArrayList<>();
        List<StageInput> seq = new ArrayList<>();
        for (RequestMix.Entry e : RequestMix.ENTRIES) {
            StageInput in = new StageInput(e.method(), e.host(), e.target(), e.headers(),
                    e.body().isEmpty() ? Optional.empty() : Optional.of(e.body().getBytes(StandardCharsets.UTF_8)));
            kinds.add(in);
            for (int w = 0; w < e.weight(); w++) {
                seq.add(in);
            }
        }
        Collections.shuffle(seq, new Random(20261127L));
        requests = seq;
        for (StageInput in : kinds) {
            int status = run(fresh(in));
            if (status >= 500) {
                throw new IllegalStateException("pipeline bench: " + in.target() + " answered " + status);
            }
        }
    }

    /** One request through every phase, as the proxy drives them; returns the final status. */
    private int run(Exchange ex) {
        if (pipeline.wantsBody(ex)) {
            ex.body(ex.body().orElse(new byte[0]));
        }
        if (pipeline.onRequest(ex) == RequestPipeline.Verdict.PROXY) {
            ex.status(200);
            ex.responseHeaders().set("Content-Type", "text/html").set("Content-Length", "1024");
        }
        pipeline.onResponseHead(ex);
        if (pipeline.filtersBody(ex)) {
            pipeline.onResponseBody(ex, ORIGIN_BODY, true);
        }
        pipeline.onLog(ex);
        return ex.status();
    }

    @Benchmark
    public int request() {
        StageInput in = requests.get(next);
        next = next + 1 == requests.size() ? 0 : next + 1;
        return run(fresh(in));
    }

    /**
     * The exchange as the proxy builds it from a decoded head: every string a new instance, as
     * Netty's decoder makes them per request (a shared literal would let the host's per-instance
     * memos hit across requests, which they never do in the proxy).
     */
    private static Exchange fresh(StageInput in) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.add(new String("Host"), new String(in.host()));
        List<String> headers = in.headers();
        for (int i = 0; i < headers.size(); i += 2) {
            h.add(new String(headers.get(i)), new String(headers.get(i + 1)));
        }
        in.body().ifPresent(b -> h.set(new String("Content-Length"), Integer.toString(b.length)));
        String target = new String(in.target());
        int q = target.indexOf('?');
        Exchange ex = Exchange.builder()
                .requestId(Long.toHexString(System.nanoTime()) + "0123456789abcdef")
                .remote(new InetSocketAddress("127.0.0.1", 40000))
                .local(new InetSocketAddress("127.0.0.1", 8080))
                .requestUri(target)
                .method(new String(in.method()))
                .uri(q < 0 ? target : target.substring(0, q))
                .args(q < 0 ? null : target.substring(q + 1))
                .headers(h)
                .build();
        in.body().ifPresent(b -> ex.body(b.clone()));
        return ex;
    }
}
