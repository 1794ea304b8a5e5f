package dev.graft.host.lua.lib;

import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;

/**
 * The sentinel userdata values that OpenResty code compares against: {@code ngx.null}
 * (which is also {@code cjson.null}) and {@code cjson.empty_array}. One instance each for
 * the whole JVM, immutable (no metatable, and Lua cannot set one on a userdata), so
 * {@code ngx.null == cjson.null} holds in every VM, as in OpenResty.
 */
public final class LuaNull extends LuaUserdata {

    /** {@code ngx.null} and {@code cjson.null}: prints as {@code userdata: NULL}. */
    public static final LuaValue NULL = new LuaNull("userdata: NULL");

    /** {@code cjson.empty_array}: encodes as {@code []}. */
    public static final LuaValue EMPTY_ARRAY = new LuaNull("userdata: empty_array");

    private final String text;

    private LuaNull(String text) {
        super(text);
        this.text = text;
    }

    @Override
    public String tojstring() {
        return text;
    }

    @Override
    public LuaValue tostring() {
        return valueOf(text);
    }
}
