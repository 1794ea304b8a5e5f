package dev.graft.host.bridge;

import java.util.Optional;
import org.luaj.vm2.LuaTable;

/**
 * A request's {@code ngx.ctx} as a Lua table whichever side holds it, for tools that compare
 * contexts (the parity harness): the Lua host's table itself, or a converted copy of the
 * native path's typed entries.
 */
public final class CtxView {

    private CtxView() {}

    /** The context stored in {@code Exchange.luaCtx()}, as a table; empty when there is none. */
    public static Optional<LuaTable> asTable(Object luaCtx) {
        if (luaCtx instanceof LuaTable t) {
            return Optional.of(t);
        }
        if (luaCtx instanceof JavaCtx j) {
            return Optional.of(j.toLua());
        }
        return Optional.empty();
    }
}
