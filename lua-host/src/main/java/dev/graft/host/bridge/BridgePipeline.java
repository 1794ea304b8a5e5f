package dev.graft.host.bridge;

import static java.util.Objects.requireNonNull;

import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline;
import dev.graft.host.lua.LuaPipeline;
import dev.graft.host.config.Rollout;
import dev.graft.host.rollout.LiveRollout;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pipeline of one event loop with the bridge: once per request, after resolving the
 * customer from Host, either the {@link NativePipeline} (every stage of the customer is Java;
 * also an unknown host, which both sides answer with the driver's 404) or the Lua driver
 * ({@link LuaPipeline}, whose {@code require}s give Java-backed handlers for Java stages). The
 * choice is kept on the exchange for the response phases. With no Java stage in the rollout,
 * every request goes to the Lua driver unchanged.
 *
 * <p>Also tags the request with its customer ({@code graft_customer}) for the proxy's metrics.
 */
public final class BridgePipeline implements RequestPipeline {

    /** Marks a request on the native path (upper case: invisible to ngx.var). */
    static final String NATIVE = "GRAFT_NATIVE";
    private static final String CUSTOMER_VARIABLE = "graft_customer";

    private final LuaPipeline lua;
    private final NativePipeline nativePipeline;
    private final NativePlan plan;
    private final GraftMetrics metrics;
    private final LiveRollout live;
    // liveNative's answers for the live table they were worked out from (an immutable value)
    private Rollout answered;
    private final Map<String, Boolean> liveNatives = new HashMap<>();

    public BridgePipeline(LuaPipeline lua, NativePipeline nativePipeline, NativePlan plan, GraftMetrics metrics) {
        this(lua, nativePipeline, plan, metrics, LiveRollout.bindingsDecide());
    }

    /** @param live the live mode table: a native customer goes to the Lua driver while one of its modules is not live Java */
    public BridgePipeline(LuaPipeline lua, NativePipeline nativePipeline, NativePlan plan, GraftMetrics metrics,
            LiveRollout live) {
        this.lua = requireNonNull(lua, "lua");
        this.nativePipeline = requireNonNull(nativePipeline, "nativePipeline");
        this.plan = requireNonNull(plan, "plan");
        this.metrics = requireNonNull(metrics, "metrics");
        this.live = requireNonNull(live, "live");
    }

    /** The Lua side, for tests and tools. */
    public LuaPipeline lua() {
        return lua;
    }

    @Override
    public boolean wantsBody(Exchange ex) {
        return lua.wantsBody(ex);
    }

    @Override
    public Verdict onRequest(Exchange ex) {
        if (plan.anyJava()) {
            Optional<String> customer = plan.customer(ex);
            if (customer.isEmpty() || liveNative(customer.get())) {
                ex.variables().put(NATIVE, "");
                metrics.nativeRequest();
                Verdict v = nativePipeline.onRequest(ex, customer);
                if (customer.isPresent()) {
                    ex.variables().putIfAbsent(CUSTOMER_VARIABLE, customer.get());
                }
                return v;
            }
        }
        Verdict v = lua.onRequest(ex);
        if (!ex.variables().containsKey(CUSTOMER_VARIABLE)) {
            LuaPipeline.customer(ex).ifPresent(c -> ex.variables().put(CUSTOMER_VARIABLE, c));
        }
        return v;
    }

    /**
     * The customer's whole pipeline is Java in this generation and in the live mode table; worked
     * out once per customer and live table (a change of modes swaps the table, one volatile read).
     */
    private boolean liveNative(String customer) {
        Rollout now = live.current();
        if (now != answered) {
            liveNatives.clear();
            answered = now;
        }
        Boolean known = liveNatives.get(customer);
        if (known == null) {
            known = allLiveJava(customer);
            liveNatives.put(customer, known);
        }
        return known;
    }

    private boolean allLiveJava(String customer) {
        NativePlan.CustomerPlan cp = plan.natives().get(customer);
        if (cp == null) {
            return false;
        }
        for (String module : cp.modules()) {
            if (!live.mode(module, customer).servesJavaAlways()) { // java, or a shadow with Java serving
                return false;
            }
        }
        return true;
    }

    private boolean isNative(Exchange ex) {
        return ex.variables().containsKey(NATIVE);
    }

    @Override
    public void onResponseHead(Exchange ex) {
        if (isNative(ex)) {
            nativePipeline.onResponseHead(ex);
        } else {
            lua.onResponseHead(ex);
        }
    }

    @Override
    public boolean filtersBody(Exchange ex) {
        return isNative(ex) ? nativePipeline.filtersBody(ex) : lua.filtersBody(ex);
    }

    @Override
    public byte[] onResponseBody(Exchange ex, byte[] chunk, boolean last) {
        return isNative(ex) ? nativePipeline.onResponseBody(ex, chunk, last) : lua.onResponseBody(ex, chunk, last);
    }

    @Override
    public void onLog(Exchange ex) {
        if (isNative(ex)) {
            nativePipeline.onLog(ex);
        } else {
            lua.onLog(ex);
        }
    }
}
