/**
 * Lua semantics shared by the Java ports of the legacy Lua modules, so each port answers as its
 * Lua module does without carrying its own copy:
 * <ul>
 *   <li>{@link dev.graft.modules.lua.LuaValues}: a JSON settings value as the Lua module sees it
 *       (truthiness, {@code type} checks, {@code tostring}, {@code tonumber}, {@code cjson.null});</li>
 *   <li>{@link dev.graft.modules.lua.LuaText}: byte strings (one char per byte), ASCII lower case,
 *       {@code ngx.unescape_uri}, path re-escaping, Jackson's null-for-absent made Optional;</li>
 *   <li>{@link dev.graft.modules.lua.HeaderLimit}: the 100-line window of
 *       {@code ngx.req.get_headers()};</li>
 *   <li>{@link dev.graft.modules.lua.ConfigProblems}: the errors a module logs once, when it first
 *       compiles a settings table.</li>
 * </ul>
 * Where the ports that were merged here behaved differently, both behaviours are kept as separate,
 * named methods (for example {@code LuaValues.toText} and {@code LuaValues.tostring} print a
 * negative zero differently); a port keeps calling the one it called before.
 */
package dev.graft.modules.lua;
