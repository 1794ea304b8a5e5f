package dev.graft.host.lua;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;

/**
 * Something that adds to a VM once, when it is built: the regex, shared-dict, time, encoding,
 * cjson and LuaJIT-compatibility libraries of {@code dev.graft.host.lua.lib} are passed in as
 * these, e.g. {@code (g, ngx) -> RegexLib.install(g, ngx)}. They run after the sandbox and the
 * core {@code ngx} table exist, so they may add fields to {@code ngx} and entries to
 * {@code package.preload}.
 */
@FunctionalInterface
public interface LuaLibrary {

    void install(Globals globals, LuaTable ngx);
}
