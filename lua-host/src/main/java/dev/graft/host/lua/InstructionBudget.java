package dev.graft.host.lua;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.luaj.vm2.Globals;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;
import org.luaj.vm2.lib.VarArgFunction;

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
 * running Lua code.
 *
 * <p>Why the hooks do not call the superclass: LuaJ's {@code DebugLib} keeps its call stack
 * with a {@code synchronized} method call per instruction, which made the hook about 40% of a
 * legacy stage's time (JFR, waf stage). Every instruction is still counted here; the call stack
 * that tracebacks need is kept by this class instead, more cheaply: a frame per Lua call
 * ({@link #onCall(LuaClosure, Varargs, LuaValue[])}), and the program counter of the last
 * instruction, which becomes the caller's position when the next frame is pushed. Tracebacks
 * ({@link #traceback(int)}, {@code debug.traceback}) read as LuaJ's did: the same frames, lines
 * and function names. Each coroutine has its own frames, as in LuaJ.
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

    /** The VM whose running coroutine owns the frames; set when the library is loaded. */
    private Globals globals;
    /** The coroutine whose frames {@link #frames} are, to switch only when another one runs. */
    private LuaThread thread;
    private Frames frames = new Frames();
    /** The program counter of the last instruction run: the running frame's position. */
    private int lastPc;

    /** @param budget instructions per call; at least 1 */
    public InstructionBudget(long budget) {
        if (budget < 1) {
            throw new IllegalArgumentException("budget: " + budget + " (expected: at least 1)");
        }
        this.budget = (int) Math.min(budget, Integer.MAX_VALUE);
        this.remaining = this.budget;
        this.started = this.budget;
    }

    @Override
    public LuaValue call(LuaValue modname, LuaValue env) {
        globals = env.checkglobals();
        thread = null;
        return super.call(modname, env);
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
        lastPc = pc;
        if (probe != null) {
            Frames f = frames();
            if (f.depth > 0 && f.fn[f.depth - 1] instanceof LuaClosure c) {
                probe.before(c.p, pc);
            }
        }
    }

    /**
     * Sees each instruction of interpreted code before it runs, with the running function's
     * prototype. The parity check's line coverage sets one; the proxy never does, so its hook
     * pays one null check.
     */
    @FunctionalInterface
    public interface Probe {
        void before(Prototype running, int pc);
    }

    private Probe probe;

    /** Sets the probe of this VM (null: none). */
    public void probe(Probe probe) {
        this.probe = probe;
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        frames().push(c, lastPc);
    }

    @Override
    public void onCall(LuaFunction f) {
        frames().push(f, lastPc);
    }

    @Override
    public void onReturn() {
        // the caller resumes where it made the call (a traceback before its next instruction sees that)
        lastPc = frames().pop(lastPc);
    }

    /** How many frames the running coroutine has: a mark for {@link #unwindTo(int)}. */
    int depth() {
        return frames().depth;
    }

    /**
     * Drops the frames above {@code depth}: a host call that ended with a stack overflow may
     * have skipped a return hook, and the next call must not see its frames.
     */
    void unwindTo(int depth) {
        Frames f = frames();
        if (f.depth > depth) {
            Arrays.fill(f.fn, depth, f.depth, null);
            f.depth = depth;
        }
    }

    private Frames frames() {
        LuaThread t = running();
        if (t != thread) {
            thread = t;
            if (t == null) {
                return frames;
            }
            if (t.callstack instanceof Frames f) {
                frames = f;
            } else {
                frames = new Frames();
                t.callstack = frames;
            }
        }
        return frames;
    }

    /**
     * The running coroutine's call stack from {@code level} (1 is the running function) down,
     * as LuaJ writes it: {@code stack traceback:}, then per frame
     * {@code chunk:line: in function 'name'} (or {@code in main chunk},
     * {@code in function <chunk:line>}), ending with {@code [Java]: in ?}.
     */
    @Override
    public String traceback(int level) {
        return traceback(frames(), lastPc, level);
    }

    /**
     * {@code debug.traceback([thread,] [message [, level]])} over these frames, with LuaJ's
     * argument handling. The running function of a suspended coroutine is shown without its line.
     */
    LuaValue tracebackFunction() {
        return new VarArgFunction() {
            {
                name = "traceback";
            }

            @Override
            public Varargs invoke(Varargs a) {
                int i = 1;
                LuaThread t = a.isthread(i) ? a.checkthread(i++) : null;
                String message = a.optjstring(i++, null);
                int level = a.optint(i, 1);
                String tb;
                if (t == null || t == running()) {
                    tb = traceback(level);
                } else {
                    tb = traceback(t.callstack instanceof Frames f ? f : new Frames(), -1, level);
                }
                return LuaValue.valueOf(message == null ? tb : message + "\n" + tb);
            }
        };
    }

    private LuaThread running() {
        return globals == null ? null : globals.running;
    }

    private static String traceback(Frames f, int topPc, int level) {
        StringBuilder sb = new StringBuilder("stack traceback:");
        for (int i = f.depth - Math.max(level, 1); i >= 0; i--) {
            LuaFunction fn = f.fn[i];
            int pc = i == f.depth - 1 ? topPc : f.pc[i + 1];
            Prototype p = fn instanceof LuaClosure c ? c.p : null;
            sb.append("\n\t").append(p == null ? "[Java]" : p.shortsource()).append(':');
            int line = p != null && p.lineinfo != null && pc >= 0 && pc < p.lineinfo.length ? p.lineinfo[pc] : -1;
            if (line > 0) {
                sb.append(line).append(':');
            }
            sb.append(" in ");
            int linedefined = p == null ? -1 : p.linedefined;
            String name = i > 0 ? functionName(f.fn[i - 1], f.pc[i]) : null;
            if (linedefined == 0) {
                sb.append("main chunk");
            } else if (name != null) {
                sb.append("function '").append(name).append('\'');
            } else {
                sb.append("function <").append(p == null ? "[Java]" : p.shortsource()).append(':')
                        .append(linedefined).append('>');
            }
        }
        return sb.append("\n\t[Java]: in ?").toString();
    }

    /**
     * The name a Lua caller called a function by, from the instruction it was at (LuaJ's
     * {@code getfuncname}): a variable or field for a call, the metamethod for an operator.
     */
    private static String functionName(LuaFunction caller, int pc) {
        if (!(caller instanceof LuaClosure c) || pc < 0 || pc >= c.p.code.length) {
            return null;
        }
        int i = c.p.code[pc];
        LuaString tm;
        switch (Lua.GET_OPCODE(i)) {
            case Lua.OP_CALL, Lua.OP_TAILCALL -> {
                return objectName(c.p, pc, Lua.GETARG_A(i));
            }
            case Lua.OP_TFORCALL -> {
                return "(for iterator)";
            }
            case Lua.OP_SELF, Lua.OP_GETTABUP, Lua.OP_GETTABLE -> tm = LuaValue.INDEX;
            case Lua.OP_SETTABUP, Lua.OP_SETTABLE -> tm = LuaValue.NEWINDEX;
            case Lua.OP_EQ -> tm = LuaValue.EQ;
            case Lua.OP_ADD -> tm = LuaValue.ADD;
            case Lua.OP_SUB -> tm = LuaValue.SUB;
            case Lua.OP_MUL -> tm = LuaValue.MUL;
            case Lua.OP_DIV -> tm = LuaValue.DIV;
            case Lua.OP_MOD -> tm = LuaValue.MOD;
            case Lua.OP_POW -> tm = LuaValue.POW;
            case Lua.OP_UNM -> tm = LuaValue.UNM;
            case Lua.OP_LEN -> tm = LuaValue.LEN;
            case Lua.OP_LT -> tm = LuaValue.LT;
            case Lua.OP_LE -> tm = LuaValue.LE;
            case Lua.OP_CONCAT -> tm = LuaValue.CONCAT;
            default -> {
                return null;
            }
        }
        return tm.tojstring();
    }

    /** LuaJ's {@code getobjname}, whose result type is package-private: read on error paths only. */
    private static String objectName(Prototype p, int pc, int register) {
        if (NAME == null) {
            return null;
        }
        Object nameWhat = DebugLib.getobjname(p, pc, register);
        return nameWhat == null ? null : (String) NAME.get(nameWhat);
    }

    private static final VarHandle NAME;

    static {
        VarHandle name = null;
        try {
            Class<?> nameWhat = Class.forName("org.luaj.vm2.lib.DebugLib$NameWhat");
            name = MethodHandles.privateLookupIn(nameWhat, MethodHandles.lookup())
                    .findVarHandle(nameWhat, "name", String.class);
        } catch (ReflectiveOperationException | SecurityException e) {
            // tracebacks then show function <chunk:line> instead of the name
        }
        NAME = name;
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

    /** One coroutine's calls: the function of each frame and the caller's position when it was pushed. */
    private static final class Frames {
        LuaFunction[] fn = new LuaFunction[32];
        /** {@code pc[i]}: where frame {@code i - 1} was when it called frame {@code i}. */
        int[] pc = new int[32];
        int depth;

        void push(LuaFunction f, int callerPc) {
            int d = depth;
            if (d == fn.length) {
                fn = Arrays.copyOf(fn, d * 2);
                pc = Arrays.copyOf(pc, d * 2);
            }
            fn[d] = f;
            pc[d] = callerPc;
            depth = d + 1;
        }

        /** Pops the running frame; returns its caller's position, or {@code otherwise} if there is none. */
        int pop(int otherwise) {
            int d = depth;
            if (d == 0) {
                return otherwise;
            }
            fn[d - 1] = null;
            depth = d - 1;
            return pc[d - 1];
        }
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

        /**
         * No Java stack: the signal is control flow (every {@code ngx.exit} throws one), its
         * place in the script is {@link #where()}, and filling the JVM stack in was about a fifth
         * of an exiting stage's time (JFR, cors hit).
         */
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }

        /** {@code chunk:line} where the signal was raised, or null before it crossed a frame. */
        public String where() {
            return fileline;
        }
    }
}
