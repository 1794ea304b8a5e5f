/**
 * redirects: per-customer redirect rules, first match wins. The Java port of
 * {@code legacy-scripts/redirects/handler.lua} (its README.md documents the settings):
 * exact, whole-segment prefix and PCRE rules on the decoded path ({@code $uri}), path text
 * re-escaped into the target, query string kept, broken rules logged once and skipped.
 *
 * <p>Strings are byte-per-char (ISO-8859-1), as the host hands them over; patterns are compiled
 * with {@link dev.graft.bridge.regex.PcreRegex}, the engine {@code ngx.re} uses.
 *
 * <p>Known differences from the Lua module, all in settings the Lua module itself flags or
 * misreads: JSON {@code null} reads as absent here (Lua sees {@code ngx.null}, a truthy value);
 * a settings error is logged once per settings object (Lua: once per settings table per VM);
 * {@code tostring} of a nested table prints "table" (Lua: its address).
 */
package dev.graft.modules.redirects;
