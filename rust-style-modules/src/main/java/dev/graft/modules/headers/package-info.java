/**
 * headers: per-customer request and response header edits, security headers, and removal of
 * the headers that give away the stack. The Java port of {@code legacy-scripts/headers/handler.lua}
 * (its README.md documents the settings): rewrite edits the request (remove, set, add), the
 * header filter edits the response (remove, set, add, security headers, Server/X-Powered-By).
 *
 * <p>Header writes follow {@code ngx.header} and {@code ngx.req.set_header} exactly
 * ({@link dev.graft.modules.headers.HeaderWrites}): an empty value removes, a list sends one
 * line per non-empty value, and a response header nginx holds once keeps the last value.
 *
 * <p>Known differences from the Lua module, all in settings the Lua module itself flags or
 * misreads: JSON {@code null} reads as absent here (Lua sees {@code ngx.null}, a truthy value);
 * a settings error is logged once per settings object (Lua: once per settings table per VM);
 * {@code tostring} of a nested table prints "table" (Lua: its address).
 */
package dev.graft.modules.headers;
