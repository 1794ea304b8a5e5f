/**
 * normalize: the canonical request target and Host before any other stage looks at them.
 * The Java port of {@code legacy-scripts/normalize/handler.lua} (see its README.md for the
 * settings and what nginx does): RFC 3986 normalisation of the raw path ({@code $request_uri}),
 * a 400 for malformed or dangerous targets, lower-case Host without its default port.
 *
 * <p>Strings are byte-per-char (ISO-8859-1), as the host hands them over, so every length and
 * comparison here is in bytes, like the Lua module's.
 *
 * <p>Known difference: the switches bind as booleans, so a non-boolean value (which the Lua
 * module reads as "off") is refused when the config loads; JSON {@code null} reads as absent
 * ("on"), where the Lua module sees {@code ngx.null} ("off").
 */
package dev.graft.modules.normalize;
