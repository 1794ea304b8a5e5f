package dev.graft.host.lua.lib;

import static java.util.Objects.requireNonNull;

import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/** A named Lua function backed by a Java lambda; the name shows in LuaJ's argument errors. */
final class LuaFn extends VarArgFunction {

    /** The body of a function: Lua arguments in, Lua results out. */
    @FunctionalInterface
    interface Body {
        Varargs call(Varargs args);
    }

    private final Body body;

    LuaFn(String name, Body body) {
        this.name = requireNonNull(name, "name");
        this.body = requireNonNull(body, "body");
    }

    @Override
    public Varargs invoke(Varargs args) {
        return body.call(args);
    }
}
