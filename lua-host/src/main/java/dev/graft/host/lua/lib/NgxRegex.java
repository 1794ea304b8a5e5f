package dev.graft.host.lua.lib;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.regex.RegexOptions;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code ngx.re} (match, find, gmatch, sub, gsub, opt) and {@code require "ngx.re"}
 * (split, opt) on java.util.regex, with OpenResty's signatures, return values and error
 * strings as measured on OpenResty 1.22 + lua-resty-core:
 *
 * <ul>
 *   <li>compile errors and unsupported PCRE syntax: {@code nil, "pcre_compile() failed: ..."}
 *       (sub/gsub: {@code nil, nil, err}); an unknown option letter raises
 *       {@code unknown flag "q" (flags "q")};</li>
 *   <li>exec errors: {@code nil, "pcre_exec() failed: N"} (-8 backtracking limit, -10 bad
 *       UTF-8, -11 offset inside a UTF-8 char, -24 ctx.pos past the end);</li>
 *   <li>captures that did not take part are {@code false}; named captures are also under
 *       their name (an array with the D option and a repeated name);</li>
 *   <li>offsets (find, ctx.pos) are 1-based byte offsets, with or without u.</li>
 * </ul>
 */
public final class NgxRegex {

    private static final LuaString POS = LuaValue.valueOf("pos");
    private static final LuaString TEMPLATE_ERROR = LuaValue.valueOf("failed to compile the replacement template");

    private final RegexCache cache;

    private NgxRegex(RegexCache cache) {
        this.cache = cache;
    }

    /** Sets {@code ngx.re} to a table of match, find, gmatch, sub, gsub and opt. */
    public static void install(LuaTable ngx, RegexCache cache) {
        requireNonNull(ngx, "ngx");
        NgxRegex r = new NgxRegex(requireNonNull(cache, "cache"));
        LuaTable re = new LuaTable();
        re.set("match", new LuaFn("match", r::match));
        re.set("find", new LuaFn("find", r::find));
        re.set("gmatch", new LuaFn("gmatch", r::gmatch));
        re.set("sub", new LuaFn("sub", a -> r.substitute(a, false)));
        re.set("gsub", new LuaFn("gsub", a -> r.substitute(a, true)));
        re.set("opt", new LuaFn("opt", a -> LuaValue.NONE));
        ngx.set("re", re);
    }

    /** Registers {@code package.preload["ngx.re"]}: a module with split and opt. */
    public static void installSplitModule(Globals g, RegexCache cache) {
        requireNonNull(g, "g");
        NgxRegex r = new NgxRegex(requireNonNull(cache, "cache"));
        LuaTable module = new LuaTable();
        module.set("split", new LuaFn("split", r::split));
        module.set("opt", new LuaFn("opt", a -> LuaValue.NONE));
        g.get("package").get("preload").checktable().set("ngx.re", new LuaFn("ngx.re", a -> module));
    }

    // ---------------------------------------------------------------- shared steps

    /** The subject as resty.core takes it: any value goes through tostring. */
    private static LuaString subject(LuaValue v) {
        return v.type() == LuaValue.TSTRING ? v.strvalue() : LuaValue.valueOf(v.tojstring());
    }

    /** Compiles or raises for an unknown flag; a compile failure is returned as a Failed. */
    private RegexCache.Compiled compile(Varargs a, int patternArg, int optionsArg) {
        LuaString pattern = a.checkstring(patternArg);
        LuaString options = a.isnoneornil(optionsArg) ? LuaValue.EMPTYSTRING : a.checkstring(optionsArg);
        try {
            return cache.compile(pattern, options);
        } catch (RegexOptions.UnknownFlag e) {
            throw new LuaError(e.getMessage());
        }
    }

    private static int startOf(LuaValue ctx) {
        if (!ctx.istable()) {
            return 0;
        }
        LuaValue pos = ctx.get(POS);
        return pos.isnumber() ? Math.max(pos.toint() - 1, 0) : 0;
    }

    private static LuaValue capture(LuaString subj, int[] off, int g) {
        return off[2 * g] < 0 ? LuaValue.FALSE : subj.substring(off[2 * g], off[2 * g + 1]);
    }

    static LuaTable matchTable(CompiledRegex re, LuaString subj, int[] off, LuaTable reuse) {
        int n = re.groupCount();
        LuaTable t = reuse != null ? reuse : new LuaTable(n, re.names().size());
        for (int g = 0; g <= n; g++) {
            t.rawset(g, capture(subj, off, g));
        }
        for (Map.Entry<String, List<Integer>> e : re.names().entrySet()) {
            List<Integer> groups = e.getValue();
            if (groups.size() == 1) {
                t.rawset(e.getKey(), t.rawget(groups.get(0)));
            } else {
                LuaTable all = new LuaTable();
                for (int g : groups) {
                    if (off[2 * g] >= 0) {
                        all.rawset(all.length() + 1, capture(subj, off, g));
                    }
                }
                t.rawset(e.getKey(), all);
            }
        }
        return t;
    }

    private static Varargs nilErr(String message) {
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(message));
    }

    /** find's error: two nils, then the message (lua-resty-core's re.find), not match's nil, err. */
    private static Varargs nilNilErr(String message) {
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.NIL, LuaValue.valueOf(message));
    }

    // ---------------------------------------------------------------- match, find

    private Varargs match(Varargs a) {
        LuaString subj = subject(a.arg(1));
        return switch (compile(a, 2, 3)) {
            case RegexCache.Failed f -> nilErr(f.message());
            case RegexCache.Ok ok -> {
                CompiledRegex re = ok.regex();
                LuaValue ctx = a.arg(4);
                try {
                    int[] off = re.exec(re.subject(subj), startOf(ctx));
                    if (off == null) {
                        yield LuaValue.NIL;
                    }
                    if (ctx.istable()) {
                        ctx.set(POS, LuaValue.valueOf(off[1] + 1));
                    }
                    yield matchTable(re, subj, off, a.arg(5).istable() ? (LuaTable) a.arg(5) : null);
                } catch (CompiledRegex.ExecError e) {
                    yield nilErr(e.getMessage());
                }
            }
        };
    }

    private Varargs find(Varargs a) {
        LuaString subj = subject(a.arg(1));
        return switch (compile(a, 2, 3)) {
            case RegexCache.Failed f -> nilNilErr(f.message());
            case RegexCache.Ok ok -> {
                CompiledRegex re = ok.regex();
                LuaValue ctx = a.arg(4);
                int nth = a.optint(5, 0);
                try {
                    int[] off = re.exec(re.subject(subj), startOf(ctx));
                    if (off == null) {
                        yield LuaValue.NIL;
                    }
                    if (ctx.istable()) {
                        ctx.set(POS, LuaValue.valueOf(off[1] + 1));
                    }
                    if (nth < 0 || nth > re.groupCount() || off[2 * nth] < 0) {
                        yield LuaValue.NIL;
                    }
                    yield LuaValue.varargsOf(LuaValue.valueOf(off[2 * nth] + 1), LuaValue.valueOf(off[2 * nth + 1]));
                } catch (CompiledRegex.ExecError e) {
                    yield nilNilErr(e.getMessage());
                }
            }
        };
    }

    // ---------------------------------------------------------------- gmatch

    private Varargs gmatch(Varargs a) {
        LuaString subj = subject(a.arg(1));
        return switch (compile(a, 2, 3)) {
            case RegexCache.Failed f -> nilErr(f.message());
            case RegexCache.Ok ok -> {
                CompiledRegex re = ok.regex();
                CompiledRegex.Subject s;
                try {
                    s = re.subject(subj);
                } catch (CompiledRegex.ExecError e) {
                    yield nilErr(e.getMessage());
                }
                int[] pos = {0};
                yield new LuaFn("gmatch_iterator", x -> {
                    if (pos[0] < 0 || pos[0] > subj.m_length) {
                        return LuaValue.NIL;
                    }
                    try {
                        int[] off = re.exec(s, pos[0]);
                        if (off == null) {
                            pos[0] = -1;
                            return LuaValue.NIL;
                        }
                        // after an empty match, step one char so the loop makes progress
                        pos[0] = off[0] == off[1] ? s.nextCharByte(off[1]) : off[1];
                        return matchTable(re, subj, off, null);
                    } catch (CompiledRegex.ExecError e) {
                        pos[0] = -1;
                        return nilErr(e.getMessage());
                    }
                });
            }
        };
    }

    // ---------------------------------------------------------------- sub, gsub

    /** A parsed replacement template: literal byte strings and group numbers. */
    private record Template(List<Object> parts) {
        /** $N, ${N} and $$, as ngx_http_lua_compile_complex_value; null when malformed. */
        static Template parse(LuaString s) {
            List<Object> parts = new ArrayList<>();
            int lit = 0;
            int n = s.m_length;
            for (int k = 0; k < n; k++) {
                if (s.luaByte(k) != '$') {
                    continue;
                }
                if (k > lit) {
                    parts.add(s.substring(lit, k));
                }
                if (k + 1 >= n) {
                    return null;
                }
                int c = s.luaByte(k + 1);
                if (c == '$') {
                    parts.add(LuaValue.valueOf("$"));
                    k++;
                } else if (c >= '0' && c <= '9') {
                    int e = k + 1;
                    while (e < n && s.luaByte(e) >= '0' && s.luaByte(e) <= '9') {
                        e++;
                    }
                    parts.add(group(s, k + 1, e));
                    k = e - 1;
                } else if (c == '{') {
                    int e = k + 2;
                    while (e < n && s.luaByte(e) >= '0' && s.luaByte(e) <= '9') {
                        e++;
                    }
                    if (e == k + 2 || e >= n || s.luaByte(e) != '}') {
                        return null;
                    }
                    parts.add(group(s, k + 2, e));
                    k = e;
                } else {
                    return null;
                }
                lit = k + 1;
            }
            if (lit < n) {
                parts.add(s.substring(lit, n));
            }
            return new Template(parts);
        }

        private static Integer group(LuaString s, int from, int to) {
            long v = 0;
            for (int k = from; k < to && v < Integer.MAX_VALUE; k++) {
                v = v * 10 + (s.luaByte(k) - '0');
            }
            return (int) Math.min(v, Integer.MAX_VALUE);
        }

        void write(ByteArrayOutputStream out, LuaString subj, int[] off) {
            for (Object p : parts) {
                if (p instanceof LuaString lit) {
                    out.write(lit.m_bytes, lit.m_offset, lit.m_length);
                } else {
                    int g = (Integer) p;
                    // a group the pattern lacks, or one that did not take part, is empty
                    if (2 * g + 1 < off.length && off[2 * g] >= 0) {
                        out.write(subj.m_bytes, subj.m_offset + off[2 * g], off[2 * g + 1] - off[2 * g]);
                    }
                }
            }
        }
    }

    private Varargs substitute(Varargs a, boolean global) {
        LuaString subj = subject(a.arg(1));
        LuaValue repl = a.arg(3);
        Template template = null;
        LuaValue fn = null;
        if (repl.isfunction()) {
            fn = repl;
        } else if (repl.isstring()) {
            template = Template.parse(repl.strvalue());
            if (template == null) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.NIL, TEMPLATE_ERROR);
            }
        } else {
            throw new LuaError("bad argument #3 to '" + (global ? "gsub" : "sub")
                    + "' (string, number, or function expected, got " + repl.typename() + ")");
        }
        RegexCache.Compiled compiled = compile(a, 2, 4);
        if (compiled instanceof RegexCache.Failed f) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.NIL, LuaValue.valueOf(f.message()));
        }
        CompiledRegex re = ((RegexCache.Ok) compiled).regex();
        try {
            CompiledRegex.Subject s = re.subject(subj);
            int len = subj.m_length;
            ByteArrayOutputStream out = null;
            int count = 0;
            int last = 0;
            int pos = 0;
            while (pos <= len) {
                int[] off = re.exec(s, pos);
                if (off == null) {
                    break;
                }
                if (out == null) {
                    out = new ByteArrayOutputStream(len + 16);
                }
                count++;
                out.write(subj.m_bytes, subj.m_offset + last, off[0] - last);
                if (fn != null) {
                    LuaValue r = fn.call(matchTable(re, subj, off, null));
                    LuaString rs = r.type() == LuaValue.TSTRING || r.type() == LuaValue.TNUMBER
                            ? r.strvalue() : LuaValue.valueOf(r.tojstring());
                    out.write(rs.m_bytes, rs.m_offset, rs.m_length);
                } else {
                    template.write(out, subj, off);
                }
                last = off[1];
                if (!global) {
                    break;
                }
                if (off[0] == off[1]) {
                    if (off[1] >= len) {
                        break;
                    }
                    int next = s.nextCharByte(off[1]);
                    out.write(subj.m_bytes, subj.m_offset + off[1], next - off[1]);
                    last = next;
                    pos = next;
                } else {
                    pos = off[1];
                }
            }
            if (out == null) {
                return LuaValue.varargsOf(subj, LuaValue.ZERO);
            }
            out.write(subj.m_bytes, subj.m_offset + last, len - last);
            return LuaValue.varargsOf(LuaString.valueUsing(out.toByteArray()), LuaValue.valueOf(count));
        } catch (CompiledRegex.ExecError e) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.NIL, LuaValue.valueOf(e.getMessage()));
        }
    }

    // ---------------------------------------------------------------- split

    /** ngx.re.split(subject, regex, options?, ctx?, max?, res?), with lua-resty-core's rules. */
    private Varargs split(Varargs a) {
        LuaString subj = subject(a.arg(1));
        LuaValue ctx = a.arg(4);
        int startPos = 1;
        if (ctx.istable() && ctx.get(POS).isnumber()) {
            startPos = ctx.get(POS).toint();
        }
        int max = a.optint(5, 0);
        LuaValue resArg = a.arg(6);
        if (!resArg.isnil() && !resArg.istable()) {
            throw new LuaError("res is not a table");
        }
        LuaTable res = resArg.istable() ? (LuaTable) resArg : new LuaTable();
        int len = subj.m_length;
        if (startPos > len) {
            res.rawset(1, LuaValue.NIL);
            return res;
        }
        RegexCache.Compiled compiled = compile(a, 2, 3);
        if (compiled instanceof RegexCache.Failed f) {
            return nilErr(f.message());
        }
        CompiledRegex re = ((RegexCache.Ok) compiled).regex();
        // positions below are 1-based, as in resty.core's split
        int subIdx = Math.max(startPos, 1);
        int resIdx = 0;
        int lastEmpty = -1;
        int count = 1;
        try {
            CompiledRegex.Subject s = re.subject(subj);
            int cpos = subIdx - 1;
            while (max <= 0 || count < max) {
                if (cpos > len) {
                    break;
                }
                int[] off = re.exec(s, cpos);
                if (off == null) {
                    break;
                }
                int from = off[0] + 1;
                int to = off[1] + 1;
                cpos = off[0] == off[1] ? s.nextCharByte(off[1]) : off[1];
                LuaValue capture = re.groupCount() > 0 && off[2] >= 0 ? subj.substring(off[2], off[3]) : null;
                if (lastEmpty >= 0) {
                    subIdx = lastEmpty;
                }
                if (from == to) {
                    lastEmpty = from;
                }
                if (from > subIdx || lastEmpty < 0) {
                    count++;
                    res.rawset(++resIdx, subj.substring(subIdx - 1, Math.max(from - 1, subIdx - 1)));
                    if (capture != null) {
                        res.rawset(++resIdx, capture);
                    }
                    subIdx = to;
                    if (subIdx > len) {
                        break;
                    }
                }
            }
        } catch (CompiledRegex.ExecError e) {
            return nilErr(e.getMessage());
        }
        if (max <= 0 && subIdx > len) {
            // trailing empty fields are dropped when there is no limit
            for (int k = resIdx; k >= 1; k--) {
                if (!res.rawget(k).equals(LuaValue.EMPTYSTRING)) {
                    resIdx = k;
                    break;
                }
                res.rawset(k, LuaValue.NIL);
            }
        } else {
            res.rawset(++resIdx, subj.substring(Math.min(subIdx - 1, len), len));
        }
        res.rawset(resIdx + 1, LuaValue.NIL);
        return res;
    }
}
