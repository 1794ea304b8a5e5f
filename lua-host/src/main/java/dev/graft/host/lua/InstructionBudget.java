package dev.graft.host.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * The VM's debug hook: counts the instructions of each host-to-Lua call and stops Lua code
 * from outside its own control flow.
 *
 * <p>LuaJ has no interrupt API, but it calls {@link #onInstruction} before every instruction
 * of interpreted code once a {@code DebugLib} is installed. Two things use that here:
 * <ul>
 *   <li>the instruction budget: when a call has run {@code budget} instructions, it is stopped
 *       (a runaway loop becomes a contained 500, the worker keeps serving);</li>
 *   <li>{@code ngx.exit}, {@code ngx.redirect} and {@code ngx.req.set_uri(u, true)}, which in
 *       OpenResty yield out of the whole phase handler (LuaJIT lets them cross {@code pcall}).</li>
 * </ul>
 * A stop is sticky: the signal is thrown again at every following instruction until the call
 * returns to the host, so a {@code pcall} in the script can catch it but cannot continue
 * running Lua code. The superclass keeps the call stack that tracebacks need.
 *
 * <p>Not covered, as LUAJ-NOTES says: time spent inside one library call (pattern matching
 * runs in Java) and luajc-compiled code, which never calls the hook.
 */
public final class InstructionBudget extends DebugLib {

    /** Why a call was stopped. */
    public enum Stop {
        /** Not stopped. */
        NONE,
        /** The script asked to end its phase handler (ngx.exit and friends). */
        EXIT,
        /** The call ran out of instructions. */
        BUDGET
    }

    private final int budget;
    private int remaining;
    private int started;
    private Stop stop = Stop.NONE;
    private Signal first;

    /** @param budget instructions per call; at least 1 */
    public InstructionBudget(long budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("budget: " + budget + " (expected: at least 1)");
        }
        this.budget = (int) Math.min(budget, Integer.MAX_VALUE);
        this.remaining = this.budget;
        this.started = this.budget;
    }

    /** Starts a new call with a full budget and no stop. */
    public void reset() {
        remaining = budget;
        started = budget;
        stop = Stop.NONE;
        first = null;
    }

    /** Starts a call with a budget of its own (VM initialisation gets more than a phase). */
    public void reset(long instructions) {
        remaining = (int) Math.min(Math.max(1, instructions), Integer.MAX_VALUE);
        started = remaining;
        stop = Stop.NONE;
        first = null;
    }

    /** Instructions the current (or last) call has run so far. */
    public long used() {
        return (long) started - remaining;
    }

    /** The budget of one call. */
    public int budget() {
        return budget;
    }

    /** Why the current (or last) call was stopped. */
    public Stop stop() {
        return stop;
    }

    /**
     * Where the first stop signal was raised, as {@code chunk:line} of the Lua code that ran
     * (known once the signal has crossed a Lua frame), or empty.
     */
    public String stopLocation() {
        return first == null || first.where() == null ? "" : first.where();
    }

    /**
     * Stops the running call now: throws the signal. Called from Java functions that Lua
     * calls ({@code ngx.exit}); the hook re-throws it until the host regains control.
     */
    public LuaError interrupt(Stop why) {
        if (why == Stop.NONE) {
            throw new IllegalArgumentException("why: NONE (expected: EXIT or BUDGET)");
        }
        if (stop == Stop.NONE) {
            stop = why;
        }
        remaining = 0;
        throw signal();
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        if (--remaining <= 0) {
            remaining = 0;
            if (stop == Stop.NONE) {
                stop = Stop.BUDGET;
            }
            throw signal();
        }
        super.onInstruction(pc, v, top);
    }

    private Signal signal() {
        Signal s = new Signal(stop == Stop.BUDGET
                ? "graft: instruction budget of " + budget + " exhausted"
                : "graft: phase handler exit");
        if (first == null) {
            first = s;
        }
        return s;
    }

    /**
     * The error that carries a stop through Lua frames. LuaJ fills in its location as it
     * crosses the innermost Lua frame; {@link #where()} exposes it.
     */
    public static final class Signal extends LuaError {
        private static final long serialVersionUID = 1L;

        Signal(String message) {
            super(message);
        }

        /** {@code chunk:line} where the signal was raised, or null before it crossed a frame. */
        public String where() {
            return fileline;
        }
    }
}
