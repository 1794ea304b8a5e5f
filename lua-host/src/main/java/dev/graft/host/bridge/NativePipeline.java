package dev.graft.host.bridge;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.BodyChunk;
import dev.graft.bridge.CtxKey;
import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.CtxType;
import dev.graft.bridge.Phase;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.ngx.PageReplacement;
import dev.graft.host.exchange.RequestPipeline;
import dev.graft.host.lua.CallResult;
import dev.graft.host.lua.LuaVm;
import dev.graft.host.rollout.ModuleStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline in Java, for requests whose customer has every stage served by Java: what
 * legacy-scripts/pipeline.lua does (customer from Host, then each phase's stages in pipeline
 * order, only modules with settings for the customer), with LuaPipeline's rules for how a phase
 * ends, without entering the Lua VM.
 *
 * <p>A stage that falls back (or throws, or returns an outcome its phase cannot have) is run by
 * its Lua handler: the host enters the VM for that one stage. That costs one VM call plus,
 * the first time in the request, converting the Java-side context into the {@code ngx.ctx}
 * table (each entry once); later Java stages then read and write that table. A Lua error there
 * ends the request with a 500, as in the driver: a security stage is never skipped.
 */
public final class NativePipeline implements RequestPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(NativePipeline.class);
    private static final int MAX_JUMPS = 10;
    /** The driver's ngx.ctx.request_start: ngx.now() when the customer was resolved. */
    static final CtxKey<Double> REQUEST_START = CtxKey.of("request_start", CtxType.NUM);
    /** A response replaced by a header_filter exit (upper case: invisible to ngx.var). */

    private final NativePlan plan;
    private final LoopServices services;
    private final LuaVm vm;
    private final JavaHandlers handlers;
    private final LuaValue driverConfig;
    private final Runnable refreshTime;
    private final Map<String, CustomerRun> runs;
    private final CtxNames names;
    private final HeaderNames headerNames;
    // the stage exchange of a request whose context a Lua stage took over (its JavaCtx held it before)
    private BridgeExchange afterLua;
    private final StageCall.Timeline timeline = new StageCall.Timeline();

    /**
     * @param vm           this loop's VM, entered only for a stage that Java hands back
     * @param handlers     the VM's Java-backed handlers, which keep the Lua handler tables
     * @param driverConfig the config table the driver's init got (each stage's Lua conf is in it)
     * @param refreshTime  refreshes the time cache that ngx.now and {@code services.clock()} read
     */
    public NativePipeline(NativePlan plan, LoopServices services, LuaVm vm, JavaHandlers handlers,
            LuaValue driverConfig, Runnable refreshTime) {
        this.plan = requireNonNull(plan, "plan");
        this.services = requireNonNull(services, "services");
        this.vm = requireNonNull(vm, "vm");
        this.handlers = requireNonNull(handlers, "handlers");
        this.driverConfig = requireNonNull(driverConfig, "driverConfig");
        this.refreshTime = requireNonNull(refreshTime, "refreshTime");
        this.names = handlers.ctxNames();
        this.headerNames = handlers.headerNames();
        Map<String, CustomerRun> r = new HashMap<>();
        plan.natives().forEach((customer, cp) -> r.put(customer, CustomerRun.of(cp, services)));
        this.runs = Map.copyOf(r);
    }

    /** One stage of a native customer with its module's statistics, looked up once, not per call. */
    record Call(NativePlan.Step step, ModuleStats stats) {}

    /** A native customer's stages per phase (indexed by ordinal) and whether it filters bodies. */
    static final class CustomerRun {
        private final Call[][] phases;
        private final boolean filtersBody;

        private CustomerRun(Call[][] phases, boolean filtersBody) {
            this.phases = phases;
            this.filtersBody = filtersBody;
        }

        static CustomerRun of(NativePlan.CustomerPlan cp, LoopServices services) {
            Call[][] phases = new Call[Phase.values().length][];
            for (Phase p : Phase.values()) {
                List<NativePlan.Step> steps = cp.steps(p);
                Call[] calls = new Call[steps.size()];
                for (int i = 0; i < calls.length; i++) {
                    calls[i] = new Call(steps.get(i), services.rollout().stats(steps.get(i).module()));
                }
                phases[p.ordinal()] = calls;
            }
            return new CustomerRun(phases, cp.filtersBody());
        }

        Call[] calls(Phase p) {
            return phases[p.ordinal()];
        }
    }

    @Override
    public boolean wantsBody(Exchange ex) {
        return false; // the bridge asks the Lua pipeline, which knows the config's reads_body stages
    }

    private enum Next { CONTINUE, RESPOND, JUMP }

    @Override
    public Verdict onRequest(Exchange ex) {
        return onRequest(ex, plan.customer(ex));
    }

    /** {@link #onRequest(Exchange)} with the customer already resolved by {@link NativePlan#customer}. */
    Verdict onRequest(Exchange ex, Optional<String> resolved) {
        if (ex.upstream().isEmpty() && !services.defaultUpstream().isEmpty()) {
            ex.upstream(services.defaultUpstream());
        }
        refreshTime.run();
        CustomerRun cp = resolved.isEmpty() ? null : runs.get(resolved.get());
        if (cp == null) {
            ExitResponses.page(ex, 404); // the driver's ngx.exit(404) for an unknown host
            return Verdict.RESPOND;
        }
        String customer = resolved.get();
        JavaCtx ctx = new JavaCtx();
        ctx.put(CtxKeys.CUSTOMER, customer);
        ctx.put(REQUEST_START, services.clock().millis() / 1000.0);
        ctx.customer = customer;
        ctx.run = cp;
        ex.luaCtx(ctx);
        int jumps = 0;
        Next next;
        while ((next = requestPhase(ex, customer, cp, Phase.REWRITE)) == Next.JUMP) {
            if (++jumps > MAX_JUMPS) {
                LOG.error("[{}] rewrite or internal redirection cycle while processing \"{}\"", ex.requestId(), ex.uri());
                ExitResponses.page(ex, 500);
                return Verdict.RESPOND;
            }
        }
        if (next == Next.RESPOND) {
            return Verdict.RESPOND;
        }
        if (requestPhase(ex, customer, cp, Phase.ACCESS) != Next.CONTINUE) {
            return Verdict.RESPOND;
        }
        String content = ex.variables().get("graft_content");
        if (content != null && !content.isEmpty()) {
            requestPhase(ex, customer, cp, Phase.CONTENT);
            if (ex.status() == 0) {
                ex.status(200);
            }
            return Verdict.RESPOND;
        }
        return Verdict.PROXY;
    }

    private Next requestPhase(Exchange ex, String customer, CustomerRun cp, Phase phase) {
        refreshTime.run();
        ex.phase(phase);
        startTimeline();
        for (Call call : cp.calls(phase)) {
            NativePlan.Step step = call.step();
            BridgeExchange sx = bridge(ex, customer);
            ShadowStage.LuaShadow shadow = ShadowStage.luaShadow(services, step.module(), customer, phase, ex);
            StageCall.Result result = StageCall.run(step.stage(), step.config(), phase, sx, null, services,
                    call.stats(), timeline);
            shadow.after(ex, result);
            Next next = switch (result) {
                case StageCall.Result.Continue c -> ex.output().size() > 0 ? Next.RESPOND : Next.CONTINUE;
                case StageCall.Result.Exit x -> {
                    ExitResponses.respond(ex, x.exit());
                    yield Next.RESPOND;
                }
                case StageCall.Result.ToLua t -> {
                    Next n = luaRequestStage(ex, customer, step.module(), phase);
                    timeline.restart();
                    yield n;
                }
            };
            if (next != Next.CONTINUE) {
                return next;
            }
        }
        return Next.CONTINUE;
    }

    /**
     * Starts timing a phase's stage calls: chained (one clock read per call) unless a shadow with
     * Java serving may copy the exchange between two calls, which must not count as stage time.
     */
    private void startTimeline() {
        timeline.start(!services.rollout().javaServedShadows());
    }

    /** Runs one stage's Lua handler (a fallback) in a request phase, with LuaPipeline's rules. */
    private Next luaRequestStage(Exchange ex, String customer, String module, Phase phase) {
        CallResult r = luaStage(ex, customer, module, phase);
        return switch (r) {
            case CallResult.Returned x -> ex.output().size() > 0 ? Next.RESPOND : Next.CONTINUE;
            case CallResult.Jumped x -> Next.JUMP;
            case CallResult.Exited x -> exited(ex, x.status());
            case CallResult.Failed x -> {
                services.metrics().luaError(module);
                LOG.error("[{}] lua error in {} (module {}): {}", ex.requestId(), phase.luaName(), module, x.message());
                ExitResponses.internalError(ex);
                yield Next.RESPOND;
            }
            case CallResult.BudgetStopped x -> {
                services.metrics().budgetStop(module);
                LOG.error("[{}] lua instruction budget exhausted in {} (module {}) at {}", ex.requestId(),
                        phase.luaName(), module, x.location());
                ExitResponses.internalError(ex);
                yield Next.RESPOND;
            }
        };
    }

    private static Next exited(Exchange ex, int status) {
        if (status == 0 || status == -5 || status == -2) { // OK, DECLINED, AGAIN
            return ex.output().size() > 0 ? Next.RESPOND : Next.CONTINUE;
        }
        if (ex.output().size() > 0 || status == -4) { // output fixed the response; DONE
            if (ex.status() == 0) {
                ex.status(200);
            }
            return Next.RESPOND;
        }
        ExitResponses.page(ex, status < 0 ? 500 : status);
        return Next.RESPOND;
    }

    /** Enters the VM for one stage: ngx.ctx becomes the Lua table (once), then handler[phase](conf). */
    private CallResult luaStage(Exchange ex, String customer, String module, Phase phase) {
        LuaTable handler = handlers.luaHandler(module).orElseThrow(() ->
                new IllegalStateException("no Lua handler loaded for " + module));
        if (ex.luaCtx() instanceof JavaCtx j) {
            ex.luaCtx(j.toLua());
        }
        LuaValue conf = driverConfig.get("customers").get(customer).get("modules").get(module);
        refreshTime.run();
        services.metrics().luaEntry();
        return vm.call(ex, phase, handler.rawget(phase.luaName()), conf);
    }

    private static Optional<String> customerOf(Exchange ex) {
        return switch (ex.luaCtx()) {
            case JavaCtx j -> j.customer != null ? Optional.of(j.customer) : j.get(CtxKeys.CUSTOMER);
            case LuaTable t -> t.rawget("customer").isstring() ? Optional.of(t.rawget("customer").tojstring())
                    : Optional.empty();
            case null, default -> Optional.empty();
        };
    }

    private Optional<CustomerRun> planOf(Exchange ex, Optional<String> customer) {
        if (ex.luaCtx() instanceof JavaCtx j && j.run != null) {
            return Optional.of(j.run);
        }
        return customer.map(runs::get);
    }

    /**
     * The request's one stage exchange: kept in its Java-side context, made at its first stage;
     * once a Lua stage took the context over, the one made since for the same request.
     */
    private BridgeExchange bridge(Exchange ex, String customer) {
        if (ex.luaCtx() instanceof JavaCtx j) {
            BridgeExchange b = j.exchange;
            if (b == null || !b.serves(ex, customer)) {
                b = new BridgeExchange(ex, customer, services, names, headerNames, false);
                j.exchange = b;
            }
            return b;
        }
        BridgeExchange b = afterLua;
        if (b == null || !b.serves(ex, customer)) {
            b = new BridgeExchange(ex, customer, services, names, headerNames, false);
            afterLua = b;
        }
        return b;
    }

    @Override
    public void onResponseHead(Exchange ex) {
        Optional<String> customer = customerOf(ex);
        Optional<CustomerRun> cp = planOf(ex, customer);
        if (cp.isEmpty()) {
            return; // refused before (unknown host): nothing to filter, as in the driver
        }
        refreshTime.run();
        ex.phase(Phase.HEADER_FILTER);
        startTimeline();
        int exitStatus = Integer.MIN_VALUE;
        for (Call call : cp.get().calls(Phase.HEADER_FILTER)) {
            NativePlan.Step step = call.step();
            BridgeExchange sx = bridge(ex, customer.get());
            ShadowStage.LuaShadow shadow = ShadowStage.luaShadow(services, step.module(), customer.get(),
                    Phase.HEADER_FILTER, ex);
            StageCall.Result result = StageCall.run(step.stage(), step.config(), Phase.HEADER_FILTER, sx, null, services,
                    call.stats(), timeline);
            shadow.after(ex, result);
            switch (result) {
                case StageCall.Result.Continue c -> { }
                case StageCall.Result.Exit x -> {
                    ExitResponses.headers(ex, x.exit());
                    exitStatus = x.exit().status();
                }
                case StageCall.Result.ToLua t -> {
                    CallResult r = luaStage(ex, customer.get(), step.module(), Phase.HEADER_FILTER);
                    timeline.restart();
                    if (vm.scope().exited()) {
                        exitStatus = vm.scope().exitStatus();
                    }
                    if (filterFailed(ex, Phase.HEADER_FILTER, step.module(), r)) {
                        break; // as a Lua error ends the driver's loop over the phase
                    }
                }
            }
        }
        if (exitStatus >= 300 || exitStatus == -1) {
            PageReplacement.replace(ex, exitStatus < 0 ? 500 : exitStatus);
        } else if (exitStatus >= 200) {
            ex.status(exitStatus);
        }
    }

    @Override
    public boolean filtersBody(Exchange ex) {
        return PageReplacement.active(ex)
                || planOf(ex, customerOf(ex)).map(r -> r.filtersBody).orElse(false);
    }

    @Override
    public byte[] onResponseBody(Exchange ex, byte[] chunk, boolean last) {
        if (!ex.headersSent()) {
            ex.markHeadersSent();
        }
        Optional<byte[]> page = PageReplacement.chunk(ex);
        if (page.isPresent()) {
            if (page.get().length == 0) {
                return page.get();
            }
            chunk = page.get();
            last = true;
        }
        Optional<String> customer = customerOf(ex);
        Optional<CustomerRun> cp = planOf(ex, customer);
        if (cp.isEmpty()) {
            return chunk;
        }
        ex.phase(Phase.BODY_FILTER);
        Chunk holder = new Chunk(chunk, last);
        for (Call call : cp.get().calls(Phase.BODY_FILTER)) {
            NativePlan.Step step = call.step();
            BridgeExchange sx = bridge(ex, customer.get());
            if (StageCall.run(step.stage(), step.config(), Phase.BODY_FILTER, sx, holder, services, call.stats())
                    instanceof StageCall.Result.ToLua) {
                vm.scope().bodyChunk(LuaString.valueUsing(holder.bytes), holder.last);
                CallResult r = luaStage(ex, customer.get(), step.module(), Phase.BODY_FILTER);
                LuaValue out = vm.scope().bodyChunk();
                boolean eof = vm.scope().bodyEof();
                vm.scope().bodyChunk(LuaValue.NIL, false);
                if (filterFailed(ex, Phase.BODY_FILTER, step.module(), r)) {
                    break;
                }
                if (out.isstring()) {
                    LuaString s = out.checkstring();
                    holder.bytes = java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
                }
                holder.last = eof;
            }
        }
        return holder.bytes;
    }

    @Override
    public void onLog(Exchange ex) {
        Optional<String> customer = customerOf(ex);
        Optional<CustomerRun> cp = planOf(ex, customer);
        if (cp.isEmpty()) {
            return;
        }
        refreshTime.run();
        ex.phase(Phase.LOG);
        startTimeline();
        for (Call call : cp.get().calls(Phase.LOG)) {
            NativePlan.Step step = call.step();
            BridgeExchange sx = bridge(ex, customer.get());
            ShadowStage.LuaShadow shadow = ShadowStage.luaShadow(services, step.module(), customer.get(), Phase.LOG, ex);
            StageCall.Result result = StageCall.run(step.stage(), step.config(), Phase.LOG, sx, null, services,
                    call.stats(), timeline);
            shadow.after(ex, result);
            if (result instanceof StageCall.Result.ToLua) {
                if (filterFailed(ex, Phase.LOG, step.module(), luaStage(ex, customer.get(), step.module(), Phase.LOG))) {
                    break;
                }
                timeline.restart();
            }
        }
    }

    private boolean filterFailed(Exchange ex, Phase phase, String module, CallResult r) {
        switch (r) {
            case CallResult.Failed f -> {
                services.metrics().luaError(module);
                LOG.error("[{}] lua error in {} (module {}): {}", ex.requestId(), phase.luaName(), module, f.message());
                return true;
            }
            case CallResult.BudgetStopped b -> {
                services.metrics().budgetStop(module);
                LOG.error("[{}] lua instruction budget exhausted in {} (module {}) at {}", ex.requestId(),
                        phase.luaName(), module, b.location());
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

    /** The body-filter chunk of the native path. */
    private static final class Chunk implements BodyChunk {
        byte[] bytes;
        boolean last;

        Chunk(byte[] bytes, boolean last) {
            this.bytes = bytes;
            this.last = last;
        }

        @Override
        public byte[] bytes() {
            return bytes;
        }

        @Override
        public boolean last() {
            return last;
        }

        @Override
        public void replace(byte[] b) {
            this.bytes = requireNonNull(b, "bytes");
        }

        @Override
        public void markLast() {
            this.last = true;
        }
    }
}
