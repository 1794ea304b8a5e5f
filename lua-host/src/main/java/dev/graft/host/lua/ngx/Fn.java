package dev.graft.host.lua.ngx;

import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.ThreeArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;
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

    /** An {@code __index} handler {@code (table, key) -> value}: LuaJ calls it without a Varargs. */
    @FunctionalInterface
    interface Getter {
        LuaValue get(LuaValue table, LuaValue key);
    }

    /** A {@code __newindex} handler {@code (table, key, value)}. */
    @FunctionalInterface
    interface Setter {
        void set(LuaValue table, LuaValue key, LuaValue value);
    }

    static LuaFunction index(String name, Getter getter) {
        return new TwoArgFunction() {
            {
                this.name = name;
            }

            @Override
            public LuaValue call(LuaValue table, LuaValue key) {
                return getter.get(table, key);
            }
        };
    }

    static LuaFunction newindex(String name, Setter setter) {
        return new ThreeArgFunction() {
            {
                this.name = name;
            }

            @Override
            public LuaValue call(LuaValue table, LuaValue key, LuaValue value) {
                setter.set(table, key, value);
                return NONE;
            }
        };
    }

    @Override
    public Varargs invoke(Varargs args) {
        return body.call(args);
    }
}
