package dev.graft.host.lua.lib;

import static java.util.Objects.requireNonNull;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The LuaJIT extensions that OpenResty code relies on and LuaJ (Lua 5.2) lacks:
 *
 * <ul>
 *   <li>global {@code bit} with LuaJIT semantics: every result a signed 32-bit number
 *       ({@code bit.bxor(-1, 0)} is -1), arguments normalised like LuaJIT's
 *       {@code bit.tobit} (round half to even, modulo 2^32); tobit, tohex, bnot, band,
 *       bor, bxor, lshift, rshift, arshift, rol, ror, bswap;</li>
 *   <li>global {@code unpack} = {@code table.unpack};</li>
 *   <li>{@code table.new(narr, nrec)} and {@code table.clear(t)}, also as
 *       {@code require "table.new"} / {@code require "table.clear"}.</li>
 * </ul>
 *
 * {@code loadstring}, {@code setfenv} and friends are left to the sandbox.
 */
public final class LuaJitCompat {

    // LuaJIT's tobit: adding 2^52 + 2^51 puts the rounded integer in the low mantissa bits
    private static final double TOBIT_MAGIC = 6755399441055744.0;

    private LuaJitCompat() {}

    public static void install(Globals g) {
        requireNonNull(g, "g");
        g.set("bit", bitLibrary());
        LuaTable table = g.get("table").checktable();
        g.set("unpack", table.get("unpack"));
        LuaValue tableNew = new LuaFn("new", a -> new LuaTable(Math.max(0, a.optint(1, 0)), Math.max(0, a.optint(2, 0))));
        LuaValue tableClear = new LuaFn("clear", a -> {
            LuaTable t = a.checktable(1);
            LuaValue k = LuaValue.NIL;
            // collect first: clearing while iterating with next() is undefined in LuaJ
            java.util.List<LuaValue> keys = new java.util.ArrayList<>();
            while (true) {
                Varargs n = t.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                keys.add(k);
            }
            for (LuaValue key : keys) {
                t.rawset(key, LuaValue.NIL);
            }
            return LuaValue.NONE;
        });
        table.set("new", tableNew);
        table.set("clear", tableClear);
        LuaValue preload = g.get("package").get("preload");
        if (preload.istable()) {
            preload.set("table.new", new LuaFn("table.new", a -> tableNew));
            preload.set("table.clear", new LuaFn("table.clear", a -> tableClear));
        }
    }

    /** LuaJIT's {@code bit.tobit}. */
    static int tobit(double x) {
        return (int) Double.doubleToRawLongBits(x + TOBIT_MAGIC);
    }

    private static int arg(Varargs a, int i) {
        return tobit(a.checkdouble(i));
    }

    private static LuaTable bitLibrary() {
        LuaTable bit = new LuaTable();
        bit.set("tobit", new LuaFn("tobit", a -> LuaValue.valueOf(arg(a, 1))));
        bit.set("bnot", new LuaFn("bnot", a -> LuaValue.valueOf(~arg(a, 1))));
        bit.set("band", new LuaFn("band", a -> {
            int r = arg(a, 1);
            for (int i = 2; i <= a.narg(); i++) {
                r &= arg(a, i);
            }
            return LuaValue.valueOf(r);
        }));
        bit.set("bor", new LuaFn("bor", a -> {
            int r = arg(a, 1);
            for (int i = 2; i <= a.narg(); i++) {
                r |= arg(a, i);
            }
            return LuaValue.valueOf(r);
        }));
        bit.set("bxor", new LuaFn("bxor", a -> {
            int r = arg(a, 1);
            for (int i = 2; i <= a.narg(); i++) {
                r ^= arg(a, i);
            }
            return LuaValue.valueOf(r);
        }));
        // Java masks int shift counts to 5 bits, exactly as LuaJIT does
        bit.set("lshift", new LuaFn("lshift", a -> LuaValue.valueOf(arg(a, 1) << arg(a, 2))));
        bit.set("rshift", new LuaFn("rshift", a -> LuaValue.valueOf(arg(a, 1) >>> arg(a, 2))));
        bit.set("arshift", new LuaFn("arshift", a -> LuaValue.valueOf(arg(a, 1) >> arg(a, 2))));
        bit.set("rol", new LuaFn("rol", a -> LuaValue.valueOf(Integer.rotateLeft(arg(a, 1), arg(a, 2)))));
        bit.set("ror", new LuaFn("ror", a -> LuaValue.valueOf(Integer.rotateRight(arg(a, 1), arg(a, 2)))));
        bit.set("bswap", new LuaFn("bswap", a -> LuaValue.valueOf(Integer.reverseBytes(arg(a, 1)))));
        bit.set("tohex", new LuaFn("tohex", a -> LuaValue.valueOf(tohex(arg(a, 1), a.isnoneornil(2) ? 8 : arg(a, 2)))));
        return bit;
    }

    /** LuaJIT 2.1's tohex: n digits (negative: upper case), at most 16, of the zero-extended value. */
    static String tohex(int x, int n) {
        String digits = "0123456789abcdef";
        if (n < 0) {
            n = -n;
            digits = "0123456789ABCDEF";
        }
        if (n > 16) {
            n = 16;
        }
        long v = x & 0xFFFFFFFFL;
        char[] out = new char[n];
        for (int i = n - 1; i >= 0; i--) {
            out[i] = digits.charAt((int) (v & 15));
            v >>>= 4;
        }
        return new String(out);
    }
}
