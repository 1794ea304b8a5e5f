package dev.graft.bench.stage;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.bench.BenchHome;
import dev.graft.bench.load.RequestMix;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.bridge.BridgePipeline;
import dev.graft.host.bridge.BridgePipelines;
import dev.graft.host.config.ConfigError;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline;
import dev.graft.host.lua.LuaScripts;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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
 * The native path (every stage of the customer served by Java, no Lua VM entered) for the load
 * test's requests, as the proxy drives a pipeline: onRequest, then (when it proxies) a 200 head
 * from the origin, onResponseHead, the body filter when the pipeline asks for it, onLog. The
 * pipeline is the one the proxy builds for the demo config (legacy-scripts/graft.json, whose
 * rollout serves every module from Java), on one loop.
 *
 * <p>{@code request}: {@code mix} cycles through the load test's weighted mix
 * ({@link RequestMix#ENTRIES}, each entry as often as its weight), or an entry's index runs that
 * one request. {@code config}: {@code demo}, or {@code nowaf} (the waf taken out of the pipeline)
 * to see the rest of the path without the stage that dominates it. {@link #exchangeOnly} is the
 * part of the score that building the request's exchange costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NativePipelineBench {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 8080);
    private static final byte[] ORIGIN_BODY = new byte[1024];

    @Param({"mix"})
    public String request;

    @Param({"demo", "nowaf"})
    public String config;

    private BridgePipeline pipeline;
    private RequestMix.Entry[] sequence;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        GraftConfig c = config(config.equals("nowaf"));
        SharedDicts dicts = SharedDicts.of(c.sharedDicts(), InstantSource.system());
        pipeline = switch (BridgePipelines.build(c, BridgePipelines.bindings(c), LuaScripts.open(c.scripts()), dicts,
                InstantSource.system(), GraftMetrics.NONE, 0, 1)) {
            case BridgePipelines.Built.Ready r -> r.pipeline();
            case BridgePipelines.Built.Failed f -> throw new IllegalStateException(f.message());
        };
        List<RequestMix.Entry> seq = new ArrayList<>();
        if (request.equals("mix")) {
            for (RequestMix.Entry e : RequestMix.ENTRIES) {
                for (int w = 0; w < e.weight(); w++) {
                    seq.add(e);
                }
            }
            Collections.shuffle(seq, new Random(20261127L));
        } else {
            seq.add(RequestMix.ENTRIES.get(Integer.parseInt(request)));
        }
        sequence = seq.toArray(RequestMix.Entry[]::new);
        for (int i = 0; i < sequence.length * 4; i++) {
            run(); // fails here, not in the measurement, if the path breaks
        }
    }

    private static GraftConfig config(boolean withoutWaf) {
        ObjectNode raw;
        try {
            raw = (ObjectNode) new JsonMapper().readTree(BenchHome.demoConfig().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (withoutWaf) {
            ArrayNode pipeline = raw.putArray("pipeline");
            new JsonMapper().valueToTree(StageInputs.MODULES.stream().filter(m -> !m.equals("waf")).toList())
                    .forEach(pipeline::add);
            raw.path("customers").forEach(cust -> ((ObjectNode) cust.path("modules")).remove("waf"));
            ((ObjectNode) raw.path("rollout")).remove("waf");
        }
        return switch (ConfigLoader.parse(raw.toString(), BenchHome.demoConfig().getParent(), "bench")) {
            case ConfigResult.Valid v -> v.config();
            case ConfigResult.Invalid i -> throw new IllegalStateException("demo config: "
                    + i.errors().stream().map(ConfigError::message).toList());
        };
    }

    private RequestMix.Entry nextEntry() {
        RequestMix.Entry e = sequence[next];
        next = next + 1 == sequence.length ? 0 : next + 1;
        return e;
    }

    /** One request through the native path, as the proxy drives it; returns the status. */
    @Benchmark
    public int run() {
        Exchange ex = exchange(nextEntry());
        if (pipeline.onRequest(ex) instanceof RequestPipeline.Verdict.Proxy) {
            StageRun.originResponse(ex);
        } else if (ex.status() == 0) {
            ex.status(200);
        }
        pipeline.onResponseHead(ex);
        byte[] body = ex.output().size() > 0 ? ex.output().toByteArray() : ORIGIN_BODY;
        if (pipeline.filtersBody(ex)) {
            body = pipeline.onResponseBody(ex, body, true);
        }
        ex.markHeadersSent();
        pipeline.onLog(ex);
        return ex.status() + body.length;
    }

    /** Building the request's exchange alone: the part of {@link #run} that is not the pipeline. */
    @Benchmark
    public Exchange exchangeOnly() {
        return exchange(nextEntry());
    }

    /** The exchange the proxy would build from the entry's decoded head (targets in the mix are normal already). */
    private Exchange exchange(RequestMix.Entry e) {
        HttpHeaders h = new DefaultHttpHeaders();
        h.add("Host", e.host());
        List<String> headers = e.headers();
        for (int i = 0; i < headers.size(); i += 2) {
            h.add(headers.get(i), headers.get(i + 1));
        }
        byte[] body = e.body().isEmpty() ? null : e.body().getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            h.set("Content-Length", Integer.toString(body.length));
        }
        String target = e.target();
        int q = target.indexOf('?');
        Exchange ex = Exchange.builder()
                .requestId("0123456789abcdef0123456789abcdef")
                .start(System.currentTimeMillis(), System.nanoTime())
                .remote(CLIENT)
                .local(SERVER)
                .requestUri(target)
                .method(e.method())
                .uri(q < 0 ? target : target.substring(0, q))
                .args(q < 0 ? null : target.substring(q + 1))
                .headers(h)
                .build();
        if (body != null && pipeline.wantsBody(ex)) {
            ex.body(body);
        }
        return ex;
    }
}
