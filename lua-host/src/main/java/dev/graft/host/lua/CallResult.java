package dev.graft.host.lua;

import org.luaj.vm2.Varargs;

/** How one host-to-Lua call ended. */
public sealed interface CallResult {

    /** The function returned normally. */
    record Returned(Varargs values) implements CallResult {}

    /** The script ended its phase handler with ngx.exit / ngx.redirect (status in the scope). */
    record Exited(int status) implements CallResult {}

    /** {@code ngx.req.set_uri(uri, true)}: rewrite starts again with the new URI. */
    record Jumped() implements CallResult {}

    /**
     * A Lua error (or a bug in a Java function Lua called).
     *
     * @param module   the module the error was raised in ("waf" for waf/handler.lua), or "?"
     * @param message  the error with its Lua traceback
     */
    record Failed(String module, String message) implements CallResult {}

    /**
     * The call ran out of its instruction budget.
     *
     * @param module   the module that was running
     * @param location {@code chunk:line} where it was stopped
     */
    record BudgetStopped(String module, String location) implements CallResult {}
}
