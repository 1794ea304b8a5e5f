package dev.graft.host.lua;

import dev.graft.host.lua.lib.CLocaleStrings;
import dev.graft.host.lua.ngx.NgxApi;
import dev.graft.host.lua.ngx.RequestScope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.Bit32Lib;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.LibFunction;
import org.luaj.vm2.lib.OsLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * Builds the standard library of a VM with what a proxy's scripts may do, and nothing more.
 *
 * <table>
 *   <caption>the sandbox</caption>
 *   <tr><td>kept</td><td>base, package (require), table, string, math, coroutine, bit32, os.time/clock/date/difftime</td></tr>
 *   <tr><td>removed</td><td>os.execute/exit/remove/rename/tmpname, io.* but io.open, dofile, loadfile, luajava,
 *       require's Java-class searcher, string.dump's counterpart (binary chunks)</td></tr>
 *   <tr><td>changed</td><td>load/loadstring accept text only; io.open reads files inside the scripts folder only;
 *       os.getenv sees no variable but TZ (like nginx without env directives); collectgarbage never calls
 *       System.gc(); print goes to ngx.log NOTICE; debug has traceback only; pcall returns Lua's
 *       "chunk:line: msg" (no LuaJ traceback) and lets ngx.exit and budget stops through</td></tr>
 *   <tr><td>shared</td><td>the string metatable (JVM-wide in LuaJ) is frozen, with a frozen copy of the string
 *       functions behind it; each VM's global {@code string} table is its own</td></tr>
 * </table>
 */
final class Sandbox {

    private Sandbox() {}

    /** The string library as every VM shares it through the string metatable: read-only. */
    private static final FrozenTable STRING_FUNCTIONS;
    /** Largest string string.rep may build. */
    private static final long MAX_STRING_BYTES = 64L << 20;
    private static final FrozenTable STRING_META;

    static {
        Globals g = new Globals();
        g.load(new BaseLib());
        g.load(new PackageLib());
        g.load(new StringLib());
        LuaTable string = g.get("string").checktable();
        // LuaJ's rep ignores the separator (LuaJIT 2.1 has it); and the instruction budget cannot
        // stop one huge library call, so what it may allocate is capped
        string.rawset("rep", fn("rep", a -> {
            LuaString str = a.checkstring(1);
            long n = Math.max(0, a.checklong(2));
            LuaString sep = a.isnoneornil(3) ? LuaValue.EMPTYSTRING : a.checkstring(3);
            long size = n == 0 ? 0 : str.m_length * n + sep.m_length * (n - 1);
            if (size > MAX_STRING_BYTES) {
                throw new LuaError("resulting string too large");
            }
            byte[] out = new byte[(int) size];
            int pos = 0;
            for (long i = 0; i < n; i++) {
                if (i > 0) {
                    System.arraycopy(sep.m_bytes, sep.m_offset, out, pos, sep.m_length);
                    pos += sep.m_length;
                }
                System.arraycopy(str.m_bytes, str.m_offset, out, pos, str.m_length);
                pos += str.m_length;
            }
            return LuaString.valueUsing(out);
        }));
        // format, lower, upper and the pattern classes as LuaJIT has them (C printf, C locale)
        CLocaleStrings.install(string);
        CLocaleStrings.installCharacterClasses();
        STRING_FUNCTIONS = new FrozenTable(string);
        LuaTable meta = new LuaTable();
        meta.rawset(LuaValue.INDEX, STRING_FUNCTIONS);
        STRING_META = new FrozenTable(meta);
        LuaString.s_metatable = STRING_META;
    }

    private static final long MAX_OPEN_BYTES = 16L << 20;

    /** Creates the globals of a VM whose debug hook is {@code budget}. */
    static Globals globals(LuaScripts scripts, InstructionBudget budget, RequestScope scope) {
        Globals g = new Globals();
        g.load(new BaseLib());
        g.load(new PackageLib());
        g.load(new Bit32Lib());
        g.load(new TableLib());
        g.load(new CoroutineLib());
        g.load(new JseMathLib());
        g.load(new OsLib());
        g.load(budget);
        LoadState.install(g);
        LuaC.install(g);
        // another component may have loaded a StringLib since; the shared metatable must stay frozen
        LuaString.s_metatable = STRING_META;
        g.finder = name -> null;
        g.undumper = null;

        g.rawset("type", new TypeFunction());

        // numbers as LuaJIT writes them (%.14g); '..' still uses LuaJ's form (docs/ngx-api.md)
        g.rawset("tostring", CLocaleStrings.tostring(g.get("tostring")));

        LuaTable string = new LuaTable();
        copy(STRING_FUNCTIONS, string);
        string.rawset("dump", LuaValue.NIL);
        g.rawset("string", string);

        LuaTable pkg = g.get("package").checktable();
        LuaTable loaded = pkg.get("loaded").checktable();
        loaded.rawset("string", string);

        // LuaJ's debug.traceback reads the call stack that the budget hook no longer keeps for it
        LuaValue traceback = budget.tracebackFunction();
        LuaTable debug = new LuaTable();
        debug.rawset("traceback", traceback);
        g.rawset("debug", debug);
        loaded.rawset("debug", debug);

        LuaTable os = g.get("os").checktable();
        for (String name : new String[] {"execute", "exit", "remove", "rename", "tmpname", "setlocale"}) {
            os.rawset(name, LuaValue.NIL);
        }
        os.rawset("getenv", fn("getenv", a -> {
            String name = a.checkjstring(1);
            String v = "TZ".equals(name) ? System.getenv("TZ") : null;
            return v == null ? LuaValue.NIL : LuaValue.valueOf(v);
        }));

        LuaTable io = new LuaTable();
        io.rawset("open", fn("open", a -> open(scripts, a)));
        g.rawset("io", io);
        loaded.rawset("io", io);

        g.rawset("dofile", LuaValue.NIL);
        g.rawset("loadfile", LuaValue.NIL);
        LuaValue load = g.get("load");
        g.rawset("load", fn("load", a -> textLoad(load, a.arg1(), a.arg(2), a.arg(4), a.narg() >= 4)));
        g.rawset("loadstring", fn("loadstring", a -> textLoad(load, a.arg1(), a.arg(2), LuaValue.NIL, false)));
        g.rawset("collectgarbage", fn("collectgarbage", Sandbox::collectgarbage));
        g.rawset("print", NgxApi.print(scope));
        ProtectedCall.install(g, budget);

        // require: preloaded libraries, then the scripts folder; never Java classes or other paths
        LuaTable searchers = new LuaTable();
        searchers.rawset(1, pkg.get("searchers").get(1));
        searchers.rawset(2, fn("scripts_searcher", a -> {
            String name = a.checkjstring(1);
            Optional<Path> file = scripts.module(name);
            if (file.isEmpty()) {
                return LuaValue.valueOf(scripts.candidates(name));
            }
            LuaValue chunk = new LuaClosure(scripts.prototype(file.get()), g);
            return LuaValue.varargsOf(chunk, LuaValue.valueOf(file.get().toString()));
        }));
        pkg.rawset("searchers", searchers);
        pkg.rawset("path", LuaValue.valueOf(scripts.root() + "/?.lua;" + scripts.root() + "/?/init.lua"));
        pkg.rawset("cpath", LuaValue.valueOf(""));
        pkg.rawset("loadlib", LuaValue.NIL);
        return g;
    }

    /**
     * {@code type(v)} returning one Lua string per type name: LuaJ's builds a new Lua string from
     * the Java name on every call (5% of the waf stage, which asks the type of every value it
     * inspects). A LibFunction, so that {@code type()} fails as LuaJ's does.
     */
    private static final class TypeFunction extends LibFunction {
        private static final Map<String, LuaString> NAMES = Map.of(
                "nil", LuaString.valueOf("nil"), "boolean", LuaString.valueOf("boolean"),
                "number", LuaString.valueOf("number"), "string", LuaString.valueOf("string"),
                "table", LuaString.valueOf("table"), "function", LuaString.valueOf("function"),
                "userdata", LuaString.valueOf("userdata"), "thread", LuaString.valueOf("thread"),
                "lightuserdata", LuaString.valueOf("lightuserdata"));

        TypeFunction() {
            name = "type";
        }

        @Override
        public LuaValue call(LuaValue arg) {
            String n = arg.typename();
            LuaString s = NAMES.get(n);
            return s != null ? s : LuaValue.valueOf(n);
        }
    }

    private static void copy(LuaTable from, LuaTable to) {
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = from.next(k);
            k = n.arg1();
            if (k.isnil()) {
                return;
            }
            to.rawset(k, n.arg(2));
        }
    }

    /** load / loadstring on text only: a binary chunk (ESC first) is refused as Lua 5.2 does with mode "t". */
    private static Varargs textLoad(LuaValue load, LuaValue chunk, LuaValue name, LuaValue env, boolean withEnv) {
        LuaValue text = chunk;
        if (chunk.isfunction()) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            while (true) {
                LuaValue piece = chunk.call();
                if (piece.isnil() || piece.isstring() && piece.checkstring().m_length == 0) {
                    break;
                }
                LuaString s = piece.checkstring();
                out.write(s.m_bytes, s.m_offset, s.m_length);
            }
            text = LuaString.valueUsing(out.toByteArray());
        }
        if (!text.isstring()) {
            throw new LuaError("bad argument #1 to 'load' (string expected, got " + text.typename() + ")");
        }
        LuaString s = text.checkstring();
        if (s.m_length > 0 && s.m_bytes[s.m_offset] == 0x1B) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("attempt to load a binary chunk (mode is 't')"));
        }
        LuaValue chunkName = name.isnil() ? s : name;
        return withEnv
                ? load.invoke(LuaValue.varargsOf(new LuaValue[] {s, chunkName, LuaValue.valueOf("t"), env}))
                : load.invoke(LuaValue.varargsOf(s, chunkName, LuaValue.valueOf("t")));
    }

    private static Varargs collectgarbage(Varargs a) {
        String opt = a.optjstring(1, "collect");
        return switch (opt) {
            case "count" -> {
                Runtime r = Runtime.getRuntime();
                double kb = (r.totalMemory() - r.freeMemory()) / 1024.0;
                yield LuaValue.varargsOf(LuaValue.valueOf(kb), LuaValue.valueOf(0));
            }
            case "isrunning" -> LuaValue.TRUE;
            case "step" -> LuaValue.FALSE;
            default -> LuaValue.valueOf(0);
        };
    }

    /** io.open(path [, mode]): read-only, inside the scripts folder; nil and a message otherwise. */
    private static Varargs open(LuaScripts scripts, Varargs a) {
        String path = a.checkjstring(1);
        String mode = a.optjstring(2, "r");
        if (!mode.equals("r") && !mode.equals("rb")) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(path + ": Permission denied"), LuaValue.valueOf(13));
        }
        Optional<Path> file = scripts.readable(path);
        if (file.isEmpty()) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(path + ": No such file or directory"),
                    LuaValue.valueOf(2));
        }
        try {
            if (Files.size(file.get()) > MAX_OPEN_BYTES) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(path + ": File too large"), LuaValue.valueOf(27));
            }
            byte[] content;
            try (InputStream in = Files.newInputStream(file.get())) {
                content = in.readAllBytes();
            }
            return ReadOnlyFile.of(content);
        } catch (IOException e) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(path + ": " + e.getMessage()), LuaValue.valueOf(5));
        }
    }

    static VarArgFunction fn(String name, java.util.function.Function<Varargs, Varargs> body) {
        return new VarArgFunction() {
            {
                this.name = name;
            }

            @Override
            public Varargs invoke(Varargs args) {
                return body.apply(args);
            }
        };
    }

    /** What io.open returns: a file read from memory, with read, lines, seek and close. */
    static final class ReadOnlyFile {
        private ReadOnlyFile() {}

        static LuaTable of(byte[] content) {
            int[] pos = {0};
            boolean[] closed = {false};
            LuaTable f = new LuaTable();
            f.rawset("read", fn("read", a -> {
                check(closed);
                int n = Math.max(1, a.narg() - 1);
                LuaValue[] out = new LuaValue[n];
                for (int i = 0; i < n; i++) {
                    out[i] = read(content, pos, a.narg() < 2 ? LuaValue.valueOf("*l") : a.arg(i + 2));
                    if (out[i].isnil()) {
                        return LuaValue.varargsOf(java.util.Arrays.copyOf(out, i + 1));
                    }
                }
                return LuaValue.varargsOf(out);
            }));
            f.rawset("lines", fn("lines", a -> {
                check(closed);
                return fn("lines_iterator", x -> read(content, pos, LuaValue.valueOf("*l")));
            }));
            f.rawset("seek", fn("seek", a -> {
                check(closed);
                String whence = a.optjstring(2, "cur");
                int off = a.optint(3, 0);
                int base = switch (whence) {
                    case "set" -> 0;
                    case "end" -> content.length;
                    default -> pos[0];
                };
                pos[0] = Math.max(0, Math.min(content.length, base + off));
                return LuaValue.valueOf(pos[0]);
            }));
            f.rawset("close", fn("close", a -> {
                closed[0] = true;
                return LuaValue.TRUE;
            }));
            return f;
        }

        private static void check(boolean[] closed) {
            if (closed[0]) {
                throw new LuaError("attempt to use a closed file");
            }
        }

        private static LuaValue read(byte[] c, int[] pos, LuaValue format) {
            if (format.isnumber()) {
                int n = format.toint();
                if (pos[0] >= c.length) {
                    return LuaValue.NIL; // at end of file even read(0) is nil, as in Lua
                }
                int end = Math.min(c.length, pos[0] + n);
                LuaValue s = LuaString.valueOf(c, pos[0], end - pos[0]);
                pos[0] = end;
                return s;
            }
            String f = format.checkjstring();
            if (f.startsWith("*")) {
                f = f.substring(1);
            }
            switch (f.isEmpty() ? ' ' : f.charAt(0)) {
                case 'a' -> {
                    LuaValue s = LuaString.valueOf(c, pos[0], c.length - pos[0]);
                    pos[0] = c.length;
                    return s;
                }
                case 'l', 'L' -> {
                    if (pos[0] >= c.length) {
                        return LuaValue.NIL;
                    }
                    int start = pos[0];
                    int nl = start;
                    while (nl < c.length && c[nl] != '\n') {
                        nl++;
                    }
                    pos[0] = Math.min(c.length, nl + 1);
                    int end = f.charAt(0) == 'L' ? pos[0] : nl;
                    return LuaString.valueOf(c, start, end - start);
                }
                case 'n' -> {
                    int start = pos[0];
                    int end = start;
                    while (end < c.length && (c[end] == ' ' || c[end] == '\t' || c[end] == '\n')) {
                        end++;
                    }
                    int numStart = end;
                    while (end < c.length && "0123456789+-.eExXabcdefABCDEF".indexOf(c[end]) >= 0) {
                        end++;
                    }
                    pos[0] = end;
                    LuaValue n = LuaString.valueOf(new String(c, numStart, end - numStart, StandardCharsets.ISO_8859_1))
                            .tonumber();
                    return n;
                }
                default -> throw new LuaError("bad argument #1 to 'read' (invalid format)");
            }
        }
    }
}
