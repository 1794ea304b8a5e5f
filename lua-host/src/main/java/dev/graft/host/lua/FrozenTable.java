package dev.graft.host.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A Lua table that refuses every change after construction. Used for what LuaJ shares across
 * all VMs of the JVM (the string metatable and the string functions behind it), where one
 * script's change would leak into every other worker and race with it.
 */
final class FrozenTable extends LuaTable {

    private final boolean frozen;

    /** A frozen copy of {@code source}'s entries. */
    FrozenTable(LuaTable source) {
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = source.next(k);
            k = n.arg1();
            if (k.isnil()) {
                break;
            }
            super.rawset(k, n.arg(2));
        }
        frozen = true;
    }

    private static LuaError refused() {
        return new LuaError("attempt to modify a read-only table");
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        if (frozen) {
            throw refused();
        }
        super.rawset(key, value);
    }

    @Override
    public void rawset(int key, LuaValue value) {
        if (frozen) {
            throw refused();
        }
        super.rawset(key, value);
    }

    @Override
    public void hashset(LuaValue key, LuaValue value) {
        if (frozen) {
            throw refused();
        }
        super.hashset(key, value);
    }

    @Override
    public void insert(int pos, LuaValue value) {
        throw refused();
    }

    @Override
    public LuaValue remove(int pos) {
        throw refused();
    }

    @Override
    public void sort(LuaValue comparator) {
        throw refused();
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        throw refused();
    }
}
