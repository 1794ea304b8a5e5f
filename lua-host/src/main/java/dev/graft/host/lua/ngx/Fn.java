package dev.graft.host.lua.ngx;

import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * A Lua function backed by a Java lambda, named so that LuaJ's argument errors read
 * "bad argument #1 to 'say'". Built once per VM; calling it allocates nothing beyond what
 * the body does.
 */
final class Fn extends VarArgFunction {

    /** The body of a function: Lua arguments in, Lua results out. */
    @FunctionalInterface
    interface Body {
        Varargs call(Varargs args);
    }

    private final Body body;

    private Fn(String name, Body body) {
        this.name = name;
        this.body = body;
    }

    static Fn of(String name, Body body) {
        return new Fn(name, body);
    }

    @Override
    public Varargs invoke(Varargs args) {
        return body.call(args);
    }
}
