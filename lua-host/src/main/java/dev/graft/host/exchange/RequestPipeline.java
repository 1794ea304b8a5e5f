package dev.graft.host.exchange;

/**
 * What the proxy asks of the stages, at the points of a request's life where OpenResty runs
 * its phases. The proxy owns sockets, framing and upstreams; an implementation owns the
 * stages (the Lua driver, or the native Java pipeline). Every method runs on the exchange's
 * event loop and must not block.
 *
 * <p>Failures are contained by the implementation: a broken stage turns into a
 * {@link Verdict.Respond} with a 500 (request phases) or is logged and counted (filters and
 * log), never into an exception that reaches the proxy.
 */
public interface RequestPipeline {

    /**
     * Whether the stages will read the whole request body, so that the proxy must buffer it
     * (up to its configured limit, 413 past it) before {@link #onRequest}. Asked once, when the
     * request head has arrived and before any phase ran.
     */
    boolean wantsBody(Exchange exchange);

    /** Runs rewrite, access and, where the configuration serves content, content. */
    Verdict onRequest(Exchange exchange);

    /** header_filter: runs once the response head is known; may change status and headers. */
    void onResponseHead(Exchange exchange);

    /** Whether {@link #onResponseBody} must see the body of this response. */
    boolean filtersBody(Exchange exchange);

    /**
     * body_filter: gets each chunk of the response body and returns what to send instead
     * (the same array when unchanged). {@code last} is true for the final call, whose chunk may
     * be empty.
     */
    byte[] onResponseBody(Exchange exchange, byte[] chunk, boolean last);

    /** log: runs after the response was sent (or the client went away). */
    void onLog(Exchange exchange);

    /** What to do after the request phases. */
    sealed interface Verdict {
        /** Send the request to the upstream the exchange names. */
        record Proxy() implements Verdict {}

        /**
         * Answer from the proxy: the exchange's status, response headers and output are the
         * response (an {@code ngx.exit}, a redirect, content, or a contained error).
         */
        record Respond() implements Verdict {}

        Verdict PROXY = new Proxy();
        Verdict RESPOND = new Respond();
    }
}
