/**
 * accesslog: one JSON object per request, written in the log phase to the error log
 * ({@code graft-access {...}}). The Java port of {@code legacy-scripts/accesslog/handler.lua}
 * (its README.md documents the object and the settings): the line is built by hand, keys in
 * sorted order, numbers that nginx gives as text copied verbatim, other numbers as {@code %d} or
 * with three decimals, strings cut at {@code max_value_length} bytes, so that its bytes are the
 * Lua module's ({@link dev.graft.modules.accesslog.JsonLine}).
 *
 * <p>Known differences from the Lua module, all in settings the Lua module itself flags or
 * misreads: JSON {@code null} reads as absent here (Lua sees {@code ngx.null}, a truthy value);
 * a settings error is logged once per settings object (Lua: once per settings table per VM);
 * {@code tostring} of a nested table prints "table" (Lua: its address).
 */
package dev.graft.modules.accesslog;
