package dev.graft.host;

import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline;
import dev.graft.host.lua.LuaLibrary;
import dev.graft.host.lua.LuaPipeline;
import dev.graft.host.lua.LuaScripts;
import dev.graft.host.lua.lib.NgxLibraries;
import dev.graft.host.lua.lib.NgxTime;
import dev.graft.host.proxy.PipelineFactory;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes the proxy's pipelines from a config: one {@link LuaPipeline} (one LuaJ VM) per event
 * loop, each with the {@code ngx} libraries over the process's shared dicts.
 */
final class LuaPipelines {

    private LuaPipelines() {}

    /**
     * The factory for one config generation. The first pipeline is built now, on this thread,
     * so that broken scripts fail with their Lua error here; the first loop the proxy asks takes
     * it over (it has not run a request yet, so handing it to that thread is safe), the others
     * build their own on their thread.
     *
     * @throws GraftServer.StartFailed when the scripts do not load
     */
    static PipelineFactory factory(GraftConfig config, SharedDicts dicts, Clock clock, GraftMetrics metrics) {
        LuaScripts scripts = scripts(config);
        int workers = Runtime.getRuntime().availableProcessors();
        AtomicReference<RequestPipeline> first = new AtomicReference<>(
                switch (build(config, scripts, dicts, clock, metrics, 0, workers)) {
                    case Built.Ok ok -> ok.pipeline();
                    case Built.Failed f -> throw new GraftServer.StartFailed(f.message(), null);
                });
        AtomicInteger nextId = new AtomicInteger(1);
        return loop -> {
            RequestPipeline ready = first.getAndSet(null);
            if (ready != null) {
                return ready;
            }
            return switch (build(config, scripts, dicts, clock, metrics, nextId.getAndIncrement(), workers)) {
                case Built.Ok ok -> ok.pipeline();
                // ProxyServer turns this into a refused start or reload, never a half-built proxy
                case Built.Failed f -> throw new IllegalStateException(f.message());
            };
        };
    }

    /** Builds one pipeline and drops it; empty when it builds, else why not. */
    static Optional<String> check(GraftConfig config) {
        Clock clock = Clock.systemUTC();
        try {
            return switch (build(config, scripts(config), SharedDicts.of(config.sharedDicts(), clock), clock,
                    GraftMetrics.NONE, 0, 1)) {
                case Built.Ok ok -> Optional.empty();
                case Built.Failed f -> Optional.of(f.message());
            };
        } catch (GraftServer.StartFailed e) {
            return Optional.of(e.getMessage());
        }
    }

    private static LuaScripts scripts(GraftConfig config) {
        try {
            // A fresh LuaScripts per config generation: a reload compiles the files anew.
            return LuaScripts.open(config.scripts());
        } catch (IllegalArgumentException e) {
            throw new GraftServer.StartFailed(e.getMessage(), e);
        }
    }

    private sealed interface Built {
        record Ok(RequestPipeline pipeline) implements Built {}

        record Failed(String message) implements Built {}
    }

    private static Built build(GraftConfig config, LuaScripts scripts, SharedDicts dicts, Clock clock,
                               GraftMetrics metrics, int workerId, int workers) {
        AtomicReference<NgxTime> time = new AtomicReference<>();
        List<LuaLibrary> libraries = List.of((g, ngx) -> time.set(NgxLibraries.installAll(g, ngx, dicts, clock)));
        // nginx refreshes its time cache once per event-loop turn; here before each phase call
        Runnable refreshTime = () -> time.get().refresh();
        return switch (LuaPipeline.create(config, scripts, metrics, workerId, workers, libraries, refreshTime)) {
            case LuaPipeline.Build.Ready r -> new Built.Ok(new CustomerTagging(r.pipeline()));
            case LuaPipeline.Build.Failed f -> new Built.Failed(f.message());
        };
    }

    /**
     * Copies the customer the Lua driver resolved ({@code ngx.ctx.customer}) into the
     * {@code graft_customer} variable, which the proxy tags its request metrics with. (On nginx
     * the config declares {@code $graft_customer} and the driver sets it; here nothing declares
     * it, so the driver leaves it unset.)
     */
    private record CustomerTagging(RequestPipeline delegate) implements RequestPipeline {
        private static final String VARIABLE = "graft_customer";

        @Override
        public boolean wantsBody(Exchange exchange) {
            return delegate.wantsBody(exchange);
        }

        @Override
        public Verdict onRequest(Exchange exchange) {
            Verdict v = delegate.onRequest(exchange);
            if (!exchange.variables().containsKey(VARIABLE)) {
                LuaPipeline.customer(exchange).ifPresent(c -> exchange.variables().put(VARIABLE, c));
            }
            return v;
        }

        @Override
        public void onResponseHead(Exchange exchange) {
            delegate.onResponseHead(exchange);
        }

        @Override
        public boolean filtersBody(Exchange exchange) {
            return delegate.filtersBody(exchange);
        }

        @Override
        public byte[] onResponseBody(Exchange exchange, byte[] chunk, boolean last) {
            return delegate.onResponseBody(exchange, chunk, last);
        }

        @Override
        public void onLog(Exchange exchange) {
            delegate.onLog(exchange);
        }
    }
}
