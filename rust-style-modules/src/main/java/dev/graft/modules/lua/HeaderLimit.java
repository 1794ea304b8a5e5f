package dev.graft.modules.lua;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.HeaderFields;

/**
 * {@code ngx.req.get_headers()} reads the first 100 header lines only. Past that, what the Lua
 * module sees depends on the order of the lines, so such a request is handed to the Lua handler
 * rather than judged on headers Lua would not have seen.
 */
public final class HeaderLimit {

    public static final int MAX_LINES = 100;
    public static final String FALLBACK = "over 100 request headers";

    private HeaderLimit() {}

    /** Whether the request has more header lines than {@code get_headers()} reads. */
    public static boolean exceeded(HeaderFields fields) {
        return requireNonNull(fields, "fields").size() > MAX_LINES;
    }
}
