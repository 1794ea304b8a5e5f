package org.luaj.vm2.lib;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.Prototype;

/**
 * Graft's parity coverage probe: the prototype of the Lua function running now, read from the
 * debug library's call stack. It lives in LuaJ's package because LuaJ keeps the call stack
 * package-private and its public route ({@code debug.getinfo}) builds a table per call, which
 * made a line hook cost milliseconds per request. Used only by the parity harness's line hook.
 */
public final class GraftLineProbe {

    private GraftLineProbe() {}

    /** The running Lua function's prototype, or null when the innermost frame is not a Lua function. */
    public static Prototype current(DebugLib debug) {
        DebugLib.CallStack cs = debug.callstack();
        if (cs.calls <= 0) {
            return null;
        }
        DebugLib.CallFrame f = cs.frame[cs.calls - 1];
        return f != null && f.f instanceof LuaClosure c ? c.p : null;
    }
}
