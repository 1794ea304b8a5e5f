package dev.graft.host.lua;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.Phase;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline;
import dev.graft.host.lua.ngx.ErrorPages;
import dev.graft.host.lua.ngx.NgxApi;
import dev.graft.host.lua.ngx.PageReplacement;
import dev.graft.host.lua.ngx.NgxResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Optional;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The legacy Lua pipeline of one event loop: a {@link LuaVm} running the driver
 * ({@code require("pipeline")}) in each phase, with OpenResty's rules for how a phase ends.
 *
 * <table>
 *   <caption>how a request phase ends</caption>
 *   <tr><td>returns</td><td>next phase; after access, the upstream (or content, below)</td></tr>
 *   <tr><td>ngx.exit(ngx.OK) / DECLINED / AGAIN</td><td>quits the phase handler; next phase</td></tr>
 *   <tr><td>ngx.exit(status &gt;= 200)</td><td>the response: the output so far, else nginx's page for
 *       the status (empty for 2xx)</td></tr>
 *   <tr><td>ngx.exit(ngx.ERROR)</td><td>500 with nginx's page</td></tr>
 *   <tr><td>ngx.exit(ngx.DONE)</td><td>the response as it stands</td></tr>
 *   <tr><td>ngx.redirect(uri, s)</td><td>status s, Location, nginx's page</td></tr>
 *   <tr><td>output (say/print) without exit</td><td>the response, once the phase returns</td></tr>
 *   <tr><td>ngx.req.set_uri(u, true)</td><td>rewrite runs again (at most 10 times, then 500)</td></tr>
 *   <tr><td>a Lua error / the budget</td><td>500 with the request id, a log line, a metric</td></tr>
 * </table>
 * Content runs only when a stage set {@code ngx.var.graft_content} to a non-empty value (the
 * reference nginx.conf declares it as ""): the request is then answered from the proxy with
 * the content phase's output.
 *
 * <p>{@code ngx.exit(status >= 300)} (or {@code ngx.ERROR}) in header_filter replaces the
 * response with nginx's page for it, as nginx's special response does: the head changes at
 * once, and body_filter swaps the body (the upstream's or the local one) for the page.
 */
public final class LuaPipeline implements RequestPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(LuaPipeline.class);
    private static final int MAX_JUMPS = 10;
    private static final String GRAFT_CONTENT = "graft_content";
    /** Marks a response replaced by header_filter's exit; upper case, so ngx.var never sees it. */
    private static final LuaString[] PHASE_ARGS = new LuaString[Phase.values().length];

    static {
        for (Phase p : Phase.values()) {
            PHASE_ARGS[p.ordinal()] = LuaString.valueOf(p.luaName());
        }
    }

    private final LuaVm vm;
    private final LuaValue run;
    private final GraftMetrics metrics;
    private final String defaultUpstream;
    private final boolean anyReadsBody;
    private final boolean anyBodyFilter;
    private final Runnable beforeCall;

    private LuaPipeline(LuaVm vm, LuaValue run, GraftMetrics metrics, String defaultUpstream,
            boolean anyReadsBody, boolean anyBodyFilter, Runnable beforeCall) {
        this.vm = vm;
        this.beforeCall = beforeCall;
        this.run = run;
        this.metrics = metrics;
        this.defaultUpstream = defaultUpstream;
        this.anyReadsBody = anyReadsBody;
        this.anyBodyFilter = anyBodyFilter;
    }

    /** A built pipeline, or why it could not be built. */
    public sealed interface Build {
        record Ready(LuaPipeline pipeline) implements Build {}

        record Failed(String message) implements Build {}
    }

    /**
     * Builds the VM of one event loop and runs {@code require("pipeline").init(config)} in it.
     * Call it off the hot path (startup, reload); one per event loop.
     *
     * @param config      the config; its raw JSON becomes the driver's config table
     * @param scripts     the scripts folder of this config generation, shared by its VMs
     * @param metrics     where Lua errors and budget stops are counted
     * @param workerId    this event loop's index ({@code ngx.worker.id()})
     * @param workerCount how many event loops there are
     * @param libraries   the {@code dev.graft.host.lua.lib} installers (regex, shared dicts ...)
     */
    public static Build create(GraftConfig config, LuaScripts scripts, GraftMetrics metrics, int workerId,
            int workerCount, List<LuaLibrary> libraries) {
        return create(config, scripts, metrics, workerId, workerCount, libraries, () -> { });
    }

    /**
     * As {@link #create(GraftConfig, LuaScripts, GraftMetrics, int, int, List)}, with
     * {@code beforeCall} run before each phase call: the ngx time cache refresh, which nginx
     * does once per event-loop turn.
     */
    public static Build create(GraftConfig config, LuaScripts scripts, GraftMetrics metrics, int workerId,
            int workerCount, List<LuaLibrary> libraries, Runnable beforeCall) {
        requireNonNull(beforeCall, "beforeCall");
        requireNonNull(config, "config");
        requireNonNull(scripts, "scripts");
        requireNonNull(metrics, "metrics");
        requireNonNull(libraries, "libraries");
        String defaultUpstream = config.defaultUpstream() == null ? "" : config.defaultUpstream();
        LuaVm vm = LuaVm.create(scripts, new NgxApi.Settings(workerId, workerCount, defaultUpstream),
                config.luaInstructionBudget(), libraries);
        CallResult driver = vm.require("pipeline");
        if (!(driver instanceof CallResult.Returned r) || !r.values().arg1().istable()) {
            return new Build.Failed("pipeline: require(\"pipeline\") failed: " + describe(driver));
        }
        LuaValue module = r.values().arg1();
        LuaValue init = module.get("init");
        LuaValue run = module.get("run");
        if (!init.isfunction() || !run.isfunction()) {
            return new Build.Failed("pipeline: the driver has no init or run function (expected: both)");
        }
        CallResult initResult = vm.callInit(init, JsonToLua.convert(config.raw()));
        if (!(initResult instanceof CallResult.Returned)) {
            return new Build.Failed("pipeline: init failed: " + describe(initResult));
        }
        boolean anyReadsBody = config.pipeline().stream().anyMatch(GraftConfig.PipelineStage::readsBody);
        boolean anyBodyFilter = false;
        for (GraftConfig.PipelineStage stage : config.pipeline()) {
            CallResult handler = vm.require(stage.module() + ".handler");
            if (handler instanceof CallResult.Returned h && h.values().arg1().istable()
                    && h.values().arg1().get("body_filter").isfunction()) {
                anyBodyFilter = true;
            }
        }
        return new Build.Ready(new LuaPipeline(vm, run, metrics, defaultUpstream, anyReadsBody, anyBodyFilter,
                beforeCall));
    }

    private static String describe(CallResult r) {
        return switch (r) {
            case CallResult.Returned x -> "returned " + x.values().arg1().typename();
            case CallResult.Exited x -> "ngx.exit(" + x.status() + ") outside a request";
            case CallResult.Jumped x -> "ngx.req.set_uri jump outside a request";
            case CallResult.Failed x -> x.message();
            case CallResult.BudgetStopped x -> "instruction budget exhausted at " + x.location();
        };
    }

    /** The VM, for tests and tools. */
    public LuaVm vm() {
        return vm;
    }

    @Override
    public boolean wantsBody(Exchange ex) {
        if (!anyReadsBody) {
            return false;
        }
        HttpHeaders h = ex.requestHeaders();
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return true;
        }
        String length = h.get(HttpHeaderNames.CONTENT_LENGTH);
        return length != null && !length.equals("0");
    }

    /** What the request does after a phase. */
    private enum Next { CONTINUE, RESPOND, JUMP }

    @Override
    public Verdict onRequest(Exchange ex) {
        if (ex.upstream().isEmpty() && !defaultUpstream.isEmpty()) {
            ex.upstream(defaultUpstream);
        }
        int jumps = 0;
        Next next;
        while ((next = requestPhase(ex, Phase.REWRITE)) == Next.JUMP) {
            if (++jumps > MAX_JUMPS) {
                LOG.error("[{}] rewrite or internal redirection cycle while processing \"{}\"", ex.requestId(), ex.uri());
                respondWithPage(ex, 500);
                return Verdict.RESPOND;
            }
        }
        if (next == Next.RESPOND) {
            return Verdict.RESPOND;
        }
        if (requestPhase(ex, Phase.ACCESS) == Next.RESPOND) {
            return Verdict.RESPOND;
        }
        String content = ex.variables().get(GRAFT_CONTENT);
        if (content != null && !content.isEmpty()) {
            requestPhase(ex, Phase.CONTENT);
            if (ex.status() == 0) {
                ex.status(200);
            }
            return Verdict.RESPOND;
        }
        return Verdict.PROXY;
    }

    /** Runs the driver for one phase of {@code ex}. */
    private CallResult runPhase(Exchange ex, Phase phase) {
        beforeCall.run();
        metrics.luaEntry();
        return vm.call(ex, phase, run, PHASE_ARGS[phase.ordinal()]);
    }

    /**
     * The customer the driver resolved for {@code ex} ({@code ngx.ctx.customer}), for metrics
     * and logs; empty before rewrite or for an unknown host.
     */
    public static java.util.Optional<String> customer(Exchange ex) {
        if (ex.luaCtx() instanceof org.luaj.vm2.LuaTable ctx) {
            LuaValue c = ctx.rawget("customer");
            if (c.isstring()) {
                return java.util.Optional.of(c.tojstring());
            }
        }
        return java.util.Optional.empty();
    }

    private Next requestPhase(Exchange ex, Phase phase) {
        CallResult r = runPhase(ex, phase);
        return switch (r) {
            case CallResult.Returned x -> ex.output().size() > 0 ? Next.RESPOND : Next.CONTINUE;
            case CallResult.Jumped x -> Next.JUMP;
            case CallResult.Exited x -> exited(ex, x.status());
            case CallResult.Failed x -> {
                failed(ex, phase, x);
                yield Next.RESPOND;
            }
            case CallResult.BudgetStopped x -> {
                budgetStopped(ex, phase, x);
                yield Next.RESPOND;
            }
        };
    }

    private Next exited(Exchange ex, int status) {
        if (status == 0 || status == -5 || status == -2) { // OK, DECLINED, AGAIN
            return ex.output().size() > 0 ? Next.RESPOND : Next.CONTINUE;
        }
        if (ex.output().size() > 0 || status == -4) { // output already fixed the response; DONE
            if (ex.status() == 0) {
                ex.status(200);
            }
            return Next.RESPOND;
        }
        respondWithPage(ex, status < 0 ? 500 : status);
        return Next.RESPOND;
    }

    private static void respondWithPage(Exchange ex, int status) {
        ex.status(status);
        ex.output().reset();
        byte[] page = ErrorPages.page(status);
        if (page.length > 0) {
            ex.responseHeaders().set(HttpHeaderNames.CONTENT_TYPE, "text/html");
            ex.output().writeBytes(page);
        } else if (status >= 200 && status < 300 && status != 204) {
            NgxResponse.defaultContentType(ex);
        }
    }

    private void failed(Exchange ex, Phase phase, CallResult.Failed f) {
        metrics.luaError(f.module());
        LOG.error("[{}] lua error in {} (module {}): {}", ex.requestId(), phase.luaName(), f.module(), f.message());
        internalError(ex);
    }

    private void budgetStopped(Exchange ex, Phase phase, CallResult.BudgetStopped b) {
        metrics.budgetStop(b.module());
        LOG.error("[{}] lua instruction budget exhausted in {} (module {}) at {}", ex.requestId(), phase.luaName(),
                b.module(), b.location());
        internalError(ex);
    }

    private static void internalError(Exchange ex) {
        ex.status(500);
        ex.output().reset();
        ex.responseHeaders().set(HttpHeaderNames.CONTENT_TYPE, "text/html");
        ex.output().writeBytes(ErrorPages.internalError(ex.requestId()));
    }

    @Override
    public void onResponseHead(Exchange ex) {
        CallResult r = runPhase(ex, Phase.HEADER_FILTER);
        if (vm.scope().exited()) {
            // recorded by ngx.exit in header_filter, which returns there
            int status = vm.scope().exitStatus();
            if (status >= 300 || status == -1) {
                PageReplacement.replace(ex, status < 0 ? 500 : status);
            } else if (status >= 200) {
                ex.status(status);
            }
        }
        filterFailure(ex, Phase.HEADER_FILTER, r);
    }

    @Override
    public boolean filtersBody(Exchange ex) {
        return anyBodyFilter || PageReplacement.active(ex);
    }

    @Override
    public byte[] onResponseBody(Exchange ex, byte[] chunk, boolean last) {
        if (!ex.headersSent()) {
            ex.markHeadersSent();
        }
        Optional<byte[]> page = PageReplacement.chunk(ex);
        if (page.isPresent()) {
            if (page.get().length == 0 || !anyBodyFilter) {
                return page.get();
            }
            chunk = page.get();
            last = true;
        }
        LuaString in = LuaString.valueUsing(chunk);
        vm.scope().bodyChunk(in, last);
        CallResult r = runPhase(ex, Phase.BODY_FILTER);
        LuaValue out = vm.scope().bodyChunk();
        vm.scope().bodyChunk(LuaValue.NIL, false);
        if (filterFailure(ex, Phase.BODY_FILTER, r) || out == in) {
            return chunk;
        }
        LuaString s = out.checkstring();
        if (s.m_offset == 0 && s.m_length == s.m_bytes.length) {
            return s.m_bytes;
        }
        return java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
    }

    @Override
    public void onLog(Exchange ex) {
        filterFailure(ex, Phase.LOG, runPhase(ex, Phase.LOG));
    }

    /** Logs and counts a failure of a phase that can no longer change the status; true if failed. */
    private boolean filterFailure(Exchange ex, Phase phase, CallResult r) {
        switch (r) {
            case CallResult.Failed f -> {
                metrics.luaError(f.module());
                LOG.error("[{}] lua error in {} (module {}): {}", ex.requestId(), phase.luaName(), f.module(),
                        f.message());
                return true;
            }
            case CallResult.BudgetStopped b -> {
                metrics.budgetStop(b.module());
                LOG.error("[{}] lua instruction budget exhausted in {} (module {}) at {}", ex.requestId(),
                        phase.luaName(), b.module(), b.location());
                return true;
            }
            case CallResult.Returned x -> {
                return false;
            }
            case CallResult.Exited x -> {
                return false;
            }
            case CallResult.Jumped x -> {
                return false;
            }
        }
    }
}
