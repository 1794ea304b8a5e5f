package dev.graft.host.admin;

/**
 * What the proxy and the Lua host report as they serve. The admin listener exposes it in
 * Prometheus text format. Implementations must be cheap and thread-safe: they are called on
 * the event loops for every request.
 */
public interface GraftMetrics {

    /** A response was sent to a client. */
    void requestServed(String customer, int status);

    /** An upstream answered (its response head arrived) after this long. */
    void upstreamLatency(String upstream, long nanos);

    /** An upstream request failed: {@code kind} is connect, reset, timeout or refused. */
    void upstreamFailure(String upstream, String kind);

    /** A Lua stage raised an error; the request got a contained 500. */
    void luaError(String module);

    /** A Lua stage ran out of its instruction budget. */
    void budgetStop(String module);

    /**
     * A Java stage handed a request's stage to its Lua handler: the module returned
     * {@code Outcome.Fallback(reason)}, or {@code reason} is {@code exception} (it threw) or
     * {@code bad_outcome} (an outcome its phase cannot have).
     */
    default void stageFallback(String module, String reason) {}

    /** A Java stage threw; the host contained it and ran the Lua handler (also counted as a fallback). */
    default void stageException(String module) {}

    /** The host called into a Lua VM (one driver phase call, or one Lua stage on the native path). */
    default void luaEntry() {}

    /** A request ran on the native Java pipeline (no Lua driver). */
    default void nativeRequest() {}

    /** A Java stage read an {@code ngx.ctx} field whose Lua value does not have its key's shape (read as absent). */
    default void ctxConversionFailure(String key) {}

    /** Metrics that record nothing, for tests and tools. */
    GraftMetrics NONE = new GraftMetrics() {
        @Override public void requestServed(String customer, int status) {}
        @Override public void upstreamLatency(String upstream, long nanos) {}
        @Override public void upstreamFailure(String upstream, String kind) {}
        @Override public void luaError(String module) {}
        @Override public void budgetStop(String module) {}
    };
}
