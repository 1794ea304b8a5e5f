/**
 * cache: edge cache policy. The Java port of {@code legacy-scripts/cache/handler.lua} (its
 * README.md documents the settings): the cache key and the matching rule are decided in
 * rewrite (GET and HEAD only) and kept in {@code ngx.ctx.cache_key}/{@code cache_rule}; the
 * header filter publishes the key, keeps personalised requests private, and sets the rule's
 * Cache-Control for cacheable statuses.
 *
 * <p>Strings are byte-per-char (ISO-8859-1), as the host hands them over; regex rules use
 * {@link dev.graft.bridge.regex.PcreRegex}, the engine {@code ngx.re} uses.
 *
 * <p>Known differences from the Lua module, all in settings the Lua module itself flags or
 * misreads: JSON {@code null} reads as absent here (Lua sees {@code ngx.null}, a truthy value);
 * a settings error is logged once per settings object (Lua: once per settings table per VM);
 * {@code tostring} of a nested table prints "table" (Lua: its address).
 */
package dev.graft.modules.cache;
