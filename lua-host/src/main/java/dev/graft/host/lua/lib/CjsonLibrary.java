package dev.graft.host.lua.lib;

import static java.util.Objects.requireNonNull;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code require "cjson"} and {@code require "cjson.safe"}: OpenResty's lua-cjson on
 * LuaJ. Supported: encode, decode, null (the same value as {@code ngx.null}),
 * empty_array, array_mt, empty_array_mt, new, and the settings
 * encode_empty_table_as_object, decode_array_with_array_mt, encode_escape_forward_slash,
 * encode_number_precision, encode_sparse_array, encode_max_depth, decode_max_depth
 * (encode_keep_buffer, encode_invalid_numbers and decode_invalid_numbers are accepted and
 * ignored).
 *
 * <p>Why not Jackson underneath: lua-cjson works on bytes (invalid UTF-8 passes through),
 * reports errors by token and byte position ("Expected value but found invalid token at
 * character 1"), and numbers print with {@code %.14g}; a byte-level scanner reproduces
 * all three exactly, where Jackson would force a UTF-16 round trip and reworded errors.
 * Both are small: {@link JsonEncoder} and {@link JsonDecoder}.
 */
public final class CjsonLibrary {

    /** One module instance's settings, changed by its configuration functions. */
    static final class Config {
        boolean emptyTableAsObject = true;
        boolean decodeArrayWithArrayMt;
        boolean escapeForwardSlash = true;
        int precision = 14;
        boolean sparseConvert;
        int sparseRatio = 2;
        int sparseSafe = 10;
        int encodeMaxDepth = 1000;
        int decodeMaxDepth = 1000;
        final LuaTable arrayMt;
        final LuaTable emptyArrayMt;

        Config(LuaTable arrayMt, LuaTable emptyArrayMt) {
            this.arrayMt = arrayMt;
            this.emptyArrayMt = emptyArrayMt;
        }
    }

    private CjsonLibrary() {}

    /** Registers {@code package.preload["cjson"]} and {@code ["cjson.safe"]} in {@code g}. */
    public static void install(Globals g) {
        requireNonNull(g, "g");
        LuaTable preload = g.get("package").get("preload").checktable();
        // array_mt and empty_array_mt are one value per VM, shared by cjson and cjson.safe
        LuaTable arrayMt = new LuaTable();
        LuaTable emptyArrayMt = new LuaTable();
        preload.set("cjson", new LuaFn("cjson", a -> module(arrayMt, emptyArrayMt, false)));
        preload.set("cjson.safe", new LuaFn("cjson.safe", a -> module(arrayMt, emptyArrayMt, true)));
    }

    /** A fresh module table with its own settings. */
    static LuaTable module(LuaTable arrayMt, LuaTable emptyArrayMt, boolean safe) {
        Config cfg = new Config(arrayMt, emptyArrayMt);
        LuaTable m = new LuaTable();
        m.set("_NAME", safe ? "cjson.safe" : "cjson");
        m.set("_VERSION", "2.1.0.10");
        m.set("null", LuaNull.NULL);
        m.set("empty_array", LuaNull.EMPTY_ARRAY);
        m.set("array_mt", arrayMt);
        m.set("empty_array_mt", emptyArrayMt);
        m.set("encode", new LuaFn("encode", a -> {
            if (a.narg() != 1) {
                return fail(safe, "expected 1 argument");
            }
            try {
                return new JsonEncoder(cfg).encode(a.arg1());
            } catch (JsonEncoder.EncodeException e) {
                return fail(safe, e.getMessage());
            }
        }));
        m.set("decode", new LuaFn("decode", a -> {
            LuaString s = a.checkstring(1);
            try {
                return new JsonDecoder(cfg, s).decode();
            } catch (JsonDecoder.DecodeException e) {
                return fail(safe, e.getMessage());
            }
        }));
        m.set("new", new LuaFn("new", a -> module(arrayMt, emptyArrayMt, safe)));
        m.set("encode_empty_table_as_object", new LuaFn("encode_empty_table_as_object", a -> {
            if (!a.isnoneornil(1)) {
                cfg.emptyTableAsObject = flag(a.arg1());
            }
            return LuaValue.valueOf(cfg.emptyTableAsObject);
        }));
        m.set("decode_array_with_array_mt", new LuaFn("decode_array_with_array_mt", a -> {
            if (!a.isnoneornil(1)) {
                cfg.decodeArrayWithArrayMt = flag(a.arg1());
            }
            return LuaValue.valueOf(cfg.decodeArrayWithArrayMt);
        }));
        m.set("encode_escape_forward_slash", new LuaFn("encode_escape_forward_slash", a -> {
            if (!a.isnoneornil(1)) {
                cfg.escapeForwardSlash = flag(a.arg1());
            }
            return LuaValue.valueOf(cfg.escapeForwardSlash);
        }));
        m.set("encode_number_precision", new LuaFn("encode_number_precision", a -> {
            if (!a.isnoneornil(1)) {
                int p = a.checkint(1);
                if (p < 1 || p > 16) {
                    throw new LuaError("bad argument #1 to 'encode_number_precision' (expected integer between 1 and 16)");
                }
                cfg.precision = p;
            }
            return LuaValue.valueOf(cfg.precision);
        }));
        m.set("encode_sparse_array", new LuaFn("encode_sparse_array", a -> {
            if (!a.isnoneornil(1)) {
                cfg.sparseConvert = flag(a.arg1());
            }
            if (!a.isnoneornil(2)) {
                cfg.sparseRatio = a.checkint(2);
            }
            if (!a.isnoneornil(3)) {
                cfg.sparseSafe = a.checkint(3);
            }
            return LuaValue.varargsOf(LuaValue.valueOf(cfg.sparseConvert), LuaValue.valueOf(cfg.sparseRatio),
                    LuaValue.valueOf(cfg.sparseSafe));
        }));
        m.set("encode_max_depth", new LuaFn("encode_max_depth", a -> {
            if (!a.isnoneornil(1)) {
                cfg.encodeMaxDepth = a.checkint(1);
            }
            return LuaValue.valueOf(cfg.encodeMaxDepth);
        }));
        m.set("decode_max_depth", new LuaFn("decode_max_depth", a -> {
            if (!a.isnoneornil(1)) {
                cfg.decodeMaxDepth = a.checkint(1);
            }
            return LuaValue.valueOf(cfg.decodeMaxDepth);
        }));
        for (String ignored : new String[] {"encode_keep_buffer", "encode_invalid_numbers", "decode_invalid_numbers"}) {
            m.set(ignored, new LuaFn(ignored, a -> LuaValue.TRUE));
        }
        return m;
    }

    private static boolean flag(LuaValue v) {
        if (v.isstring() && !v.isnumber()) {
            String s = v.tojstring();
            return s.equals("on") || s.equals("true");
        }
        return v.toboolean();
    }

    /** cjson raises; cjson.safe returns nil, err. */
    private static Varargs fail(boolean safe, String message) {
        if (safe) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(message));
        }
        // level 0: a C library's luaL_error carries no "file:line:" prefix
        throw new LuaError(message, 0);
    }
}
