package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.shared.DictItem;
import dev.graft.bridge.shared.DictResult;
import dev.graft.bridge.shared.SharedDict;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.bridge.BridgePipeline;
import dev.graft.host.bridge.BridgePipelines;
import dev.graft.host.bridge.CtxView;
import dev.graft.host.bridge.ModuleBindings;
import dev.graft.host.bridge.StageModules;
import dev.graft.host.config.ConfigError;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline.Verdict;
import dev.graft.host.lua.LuaScripts;
import dev.graft.host.proxy.ExchangeReader;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * One side of a comparison: the host's own pipeline ({@link BridgePipelines#build}, the same
 * dispatch a served request goes through) for one rollout, with its own shared dicts, a clock
 * that stands still where the harness puts it, and a metrics sink that records failures. It
 * runs a request the way the proxy does (head read by the proxy's reader, body buffered when a
 * stage reads it, request phases, a stand-in upstream answer, header and body filters, log)
 * and snapshots the exchange after each phase.
 */
final class ParitySide {

    /** Variables the host sets for itself on one path only: not effects of a stage. */
    static final List<String> HOST_VARIABLES = List.of("GRAFT_NATIVE");

    /**
     * Values the harness cannot hold still, named here and blanked in log records on both sides:
     * {@code $request_time} is the host's real elapsed time (System.nanoTime), not the clock.
     */
    static final java.util.regex.Pattern VOLATILE = java.util.regex.Pattern.compile("\"request_time\":[0-9.eE+-]+");

    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);

    private final BridgePipeline pipeline;
    private final SharedDicts dicts;
    private final ParityClock clock;
    private final SideMetrics metrics;

    private ParitySide(BridgePipeline pipeline, SharedDicts dicts, ParityClock clock, SideMetrics metrics) {
        this.pipeline = pipeline;
        this.dicts = dicts;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** A side, or why its config does not build. */
    sealed interface Built {
        record Ready(ParitySide side) implements Built {}

        record Failed(List<String> errors) implements Built {}
    }

    static Built build(GraftConfig config, StageModules catalog, long startMillis) {
        requireNonNull(config, "config");
        ParityClock clock = new ParityClock(startMillis);
        SharedDicts dicts = SharedDicts.of(config.sharedDicts(), clock);
        SideMetrics metrics = new SideMetrics();
        ModuleBindings bindings;
        switch (ModuleBindings.bind(config, catalog)) {
            case ModuleBindings.Result.Bound b -> bindings = b.bindings();
            case ModuleBindings.Result.Refused r -> {
                return new Built.Failed(r.errors().stream().map(ConfigError::message).toList());
            }
        }
        return switch (BridgePipelines.build(config, bindings, LuaScripts.open(config.scripts()), dicts, clock,
                metrics, 0, 1)) {
            case BridgePipelines.Built.Ready r -> new Built.Ready(new ParitySide(r.pipeline(), dicts, clock, metrics));
            case BridgePipelines.Built.Failed f -> new Built.Failed(List.of(f.message()));
        };
    }

    BridgePipeline pipeline() {
        return pipeline;
    }

    /** The side's own shared dicts (a shadow's overlay: {@link ShadowSide}). */
    SharedDicts dicts() {
        return dicts;
    }

    /** The clock the side's VM and dicts read. */
    ParityClock clock() {
        return clock;
    }

    int fallbacks() {
        return metrics.fallbackTotal;
    }

    /** Empties every shared dict: the start of an independent request sequence. */
    void resetState() {
        for (String name : dicts.names()) {
            dicts.get(name).ifPresent(SharedDict::flushAll);
        }
    }

    /** Runs {@code r} at {@code epochMillis} as request {@code requestId}. */
    SideRun run(ParityRequest r, String requestId, long epochMillis, LogCapture logs) {
        clock.set(epochMillis);
        metrics.clear();
        logs.drain();
        Optional<Exchange> head;
        try {
            head = ExchangeReader.read(httpRequest(r), remote(r.client()), LOCAL);
        } catch (IllegalArgumentException e) {
            // what Netty's decoder refuses before the proxy reads the head (a bad Content-Length)
            head = Optional.empty();
        }
        if (head.isEmpty()) {
            return new SideRun(List.of(), 0);
        }
        Exchange h = head.get();
        Exchange ex = Exchange.builder()
                .requestId(requestId)
                .start(epochMillis, System.nanoTime())
                .remote(h.remote())
                .local(h.local())
                .scheme(h.scheme())
                .version(h.version())
                .requestUri(h.requestUri())
                .requestLineHost(h.requestLineHost().orElse(null))
                .method(h.method())
                .uri(h.uri())
                .args(h.args().orElse(null))
                .headers(h.requestHeaders())
                .build();
        List<SideRun.Snapshot> out = new ArrayList<>(4);
        List<String> logLines = new ArrayList<>();
        long t0 = System.nanoTime();
        if (r.body().isPresent() && !r.body().get().isEmpty() && pipeline.wantsBody(ex)) {
            ex.body(r.body().get().getBytes(StandardCharsets.ISO_8859_1));
        }
        Verdict verdict = pipeline.onRequest(ex);
        long spent = System.nanoTime() - t0;
        logLines.addAll(logs.drain());
        String outcome = switch (verdict) {
            case Verdict.Proxy p -> "proxy";
            case Verdict.Respond p -> "respond";
        };
        byte[] body;
        if (verdict instanceof Verdict.Respond) {
            if (ex.status() == 0) {
                ex.status(200);
            }
            body = ex.output().toByteArray();
        } else {
            body = originAnswer(ex);
        }
        out.add(new SideRun.Snapshot("request", snapshot(ex, outcome, body, logLines)));
        t0 = System.nanoTime();
        pipeline.onResponseHead(ex);
        spent += System.nanoTime() - t0;
        logLines.addAll(logs.drain());
        out.add(new SideRun.Snapshot("header_filter", snapshot(ex, outcome, body, logLines)));
        t0 = System.nanoTime();
        if (pipeline.filtersBody(ex)) {
            body = pipeline.onResponseBody(ex, body, true);
        }
        spent += System.nanoTime() - t0;
        logLines.addAll(logs.drain());
        out.add(new SideRun.Snapshot("body_filter", snapshot(ex, outcome, body, logLines)));
        ex.markHeadersSent();
        t0 = System.nanoTime();
        pipeline.onLog(ex);
        spent += System.nanoTime() - t0;
        logLines.addAll(logs.drain());
        out.add(new SideRun.Snapshot("log", snapshot(ex, outcome, body, logLines)));
        return new SideRun(out, spent);
    }

    /** What the stand-in upstream answers: 200, JSON naming the request it got. */
    private static byte[] originAnswer(Exchange ex) {
        byte[] body = ("{\"method\":\"" + ex.method() + "\",\"uri\":\"" + ex.uri() + "\",\"args\":\""
                + ex.args().orElse("") + "\"}").getBytes(StandardCharsets.ISO_8859_1);
        ex.status(200);
        ex.responseHeaders().clear()
                .set("Content-Type", "application/json")
                .set("Content-Length", Integer.toString(body.length));
        return body;
    }

    private SortedMap<String, String> snapshot(Exchange ex, String outcome, byte[] body, List<String> logLines) {
        SortedMap<String, String> m = new TreeMap<>();
        m.put("outcome", outcome);
        m.put("request.method", ex.method());
        m.put("request.uri", ex.uri());
        m.put("request.args", ex.args().orElse("<none>"));
        headers(m, "request.header.", ex.requestHeaders());
        if (ex.bodyBuffered()) {
            m.put("request.body", ex.body().map(b -> new String(b, StandardCharsets.ISO_8859_1)).orElse("<none>"));
        }
        m.put("request.upstream", ex.upstream().orElse("<none>"));
        m.put("response.status", Integer.toString(ex.status()));
        headers(m, "response.header.", ex.responseHeaders());
        m.put("response.body", new String(body, StandardCharsets.ISO_8859_1));
        for (Map.Entry<String, String> v : ex.variables().entrySet()) {
            if (!HOST_VARIABLES.contains(v.getKey())) {
                m.put("var." + v.getKey(), v.getValue());
            }
        }
        CtxView.asTable(ex.luaCtx()).ifPresent(t -> {
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = t.next(k);
                k = n.arg1();
                if (k.isnil()) {
                    break;
                }
                m.put("ctx." + LuaValues.key(k), LuaValues.describe(n.arg(2)));
            }
        });
        for (String name : dicts.names()) {
            SharedDict d = dicts.get(name).orElseThrow();
            for (byte[] key : d.keys(0)) {
                m.put("shared." + name + "." + new String(key, StandardCharsets.ISO_8859_1), dictValue(d, key));
            }
        }
        for (int i = 0; i < logLines.size(); i++) {
            m.put(String.format("log.%03d", i), VOLATILE.matcher(logLines.get(i)).replaceAll("\"request_time\":<elapsed>"));
        }
        if (!metrics.failures.isEmpty()) {
            m.put("failure", String.join("; ", metrics.failures));
        }
        return m;
    }

    private static String dictValue(SharedDict d, byte[] key) {
        String ttl = switch (d.ttl(key)) {
            case DictResult.Ok<Double> ok -> Double.toString(ok.value());
            case DictResult.Failed<Double> f -> f.error().toString();
        };
        return switch (d.getStale(key)) {
            case DictResult.Ok<Optional<DictItem>> ok -> ok.value().map(i -> i.value() + " flags=" + i.flags())
                    .orElse("<none>") + " ttl=" + ttl;
            case DictResult.Failed<Optional<DictItem>> f -> f.error() + " ttl=" + ttl;
        };
    }

    private static void headers(SortedMap<String, String> m, String prefix, HttpHeaders h) {
        for (Map.Entry<String, String> e : h) {
            m.merge(prefix + e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue(), (a, b) -> a + "\n" + b);
        }
    }

    private static DefaultHttpRequest httpRequest(ParityRequest r) {
        HttpHeaders headers = new DefaultHttpHeaders(false);
        boolean hasLength = false;
        for (ParityRequest.Header h : r.headers()) {
            headers.add(h.name(), h.value());
            hasLength |= h.name().equalsIgnoreCase("Content-Length") || h.name().equalsIgnoreCase("Transfer-Encoding");
        }
        if (r.body().isPresent() && !r.body().get().isEmpty() && !hasLength) {
            headers.add("Content-Length", Integer.toString(r.body().get().length()));
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(r.method()), r.target(), headers);
    }

    private static InetSocketAddress remote(String client) {
        try {
            return new InetSocketAddress(InetAddress.getByName(client), 52000);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("client: " + client + " (expected: an IP address literal)", e);
        }
    }

    /** The pipeline's Lua VM globals (for coverage hooks). */
    org.luaj.vm2.Globals globals() {
        return pipeline.lua().vm().globals();
    }

}
