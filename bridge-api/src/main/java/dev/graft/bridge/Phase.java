package dev.graft.bridge;

/**
 * The request phases, in the order OpenResty runs them. A stage runs in the phases it
 * declares; {@link #luaName()} is the name the legacy driver and {@code ngx.get_phase()} use.
 */
public enum Phase {
    /** Before access control: URI normalisation, redirects, request header edits. */
    REWRITE("rewrite"),
    /** Access control: IP rules, WAF, rate limits, auth, routing. */
    ACCESS("access"),
    /** Runs instead of the upstream when the configuration serves content from the proxy. */
    CONTENT("content"),
    /** Once, when the response head is known, before it is sent. */
    HEADER_FILTER("header_filter"),
    /** For each chunk of the response body. */
    BODY_FILTER("body_filter"),
    /** After the response is sent. */
    LOG("log");

    private final String luaName;

    Phase(String luaName) {
        this.luaName = luaName;
    }

    public String luaName() {
        return luaName;
    }
}
