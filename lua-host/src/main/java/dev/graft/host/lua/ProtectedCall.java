package dev.graft.host.lua;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code pcall} and {@code xpcall} for the sandbox, replacing LuaJ's. Two differences matter
 * to scripts written for OpenResty:
 * <ul>
 *   <li>a stop (ngx.exit, the instruction budget) is not an error: it passes through, as
 *       ngx.exit's yield passes through pcall in LuaJIT;</li>
 *   <li>the message is Lua's {@code "chunk:line: msg"}. LuaJ's own pcall, once a debug
 *       library is installed, returns {@code "chunk:line msg"} followed by a whole stack
 *       traceback, which breaks scripts that log or match the message.</li>
 * </ul>
 * The traceback is suppressed by giving the thread an identity error function for the
 * duration of the call (LuaJ appends a traceback only when there is none). Where LuaJ put
 * the position is read from {@code LuaError}'s protected fields, on error paths only.
 */
final class ProtectedCall {

    private static final VarHandle FILELINE;
    private static final VarHandle LEVEL;

    static {
        VarHandle fileline = null;
        VarHandle level = null;
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(LuaError.class, MethodHandles.lookup());
            fileline = l.findVarHandle(LuaError.class, "fileline", String.class);
            level = l.findVarHandle(LuaError.class, "level", int.class);
        } catch (ReflectiveOperationException | SecurityException e) {
            // messages keep LuaJ's form; nothing else depends on it
        }
        FILELINE = fileline;
        LEVEL = level;
    }

    /** Returns its argument: makes LuaJ keep the message as it is, without a traceback. */
    private static final LuaValue KEEP_MESSAGE = new VarArgFunction() {
        @Override
        public Varargs invoke(Varargs args) {
            return args.arg1();
        }
    };

    private ProtectedCall() {}

    static void install(Globals g, InstructionBudget budget) {
        LuaValue xpcall = g.get("xpcall");
        g.rawset("pcall", new VarArgFunction() {
            {
                name = "pcall";
            }

            @Override
            public Varargs invoke(Varargs args) {
                LuaValue f = args.checkvalue(1);
                LuaThread thread = g.running;
                LuaValue previous = thread.errorfunc;
                thread.errorfunc = KEEP_MESSAGE;
                budget.onCall(this);
                try {
                    return LuaValue.varargsOf(LuaValue.TRUE, f.invoke(args.subargs(2)));
                } catch (LuaError e) {
                    if (budget.stop() != InstructionBudget.Stop.NONE) {
                        throw e;
                    }
                    return LuaValue.varargsOf(LuaValue.FALSE, message(e));
                } catch (StackOverflowError e) {
                    if (budget.stop() != InstructionBudget.Stop.NONE) {
                        throw e;
                    }
                    return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("stack overflow"));
                } finally {
                    thread.errorfunc = previous;
                    budget.onReturn();
                }
            }
        });
        g.rawset("xpcall", new VarArgFunction() {
            {
                name = "xpcall";
            }

            @Override
            public Varargs invoke(Varargs args) {
                Varargs r = xpcall.invoke(args);
                if (budget.stop() != InstructionBudget.Stop.NONE) {
                    throw budget.interrupt(budget.stop());
                }
                return r;
            }
        });
    }

    /** The error value as Lua's pcall returns it. */
    static LuaValue message(LuaError e) {
        LuaValue object = e.getMessageObject();
        if (object == null) {
            return LuaValue.NIL;
        }
        if (!object.isstring() || FILELINE == null) {
            return object;
        }
        String fileline = (String) FILELINE.get(e);
        String m = e.getMessage();
        if (fileline == null || m == null || !m.startsWith(fileline + " ")) {
            return object;
        }
        String raw = m.substring(fileline.length() + 1);
        return LuaValue.valueOf((int) LEVEL.get(e) == 0 ? raw : fileline + ": " + raw);
    }
}
