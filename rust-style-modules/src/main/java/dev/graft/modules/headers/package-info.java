/**
 * headers: per-customer request and response header edits, security headers, and removal of
 * the headers that give away the stack. The Java port of {@code legacy-scripts/headers/handler.lua}
 * (its README.md documents the settings): rewrite edits the request (remove, set, add), the
 * header filter edits the response (remove, set, add, security headers, Server/X-Powered-By).
 *
 * <p>Header writes follow {@code ngx.header} and {@code ngx.req.set_header} exactly
 * ({@link dev.graft.modules.headers.HeaderWrites}): an empty value removes, a list sends one
 * line per non-empty value, and a response header nginx holds once keeps the last value.
 */
package dev.graft.modules.headers;
