package dev.graft.host.lua.lib;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
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

    /** JSON text from a Lua value, as lua-cjson writes it. */
    static final class JsonEncoder {
        static final class EncodeException extends Exception {
            EncodeException(String message) {
                super(message, null, false, false);
            }
        }

        private final Config cfg;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        JsonEncoder(Config cfg) {
            this.cfg = cfg;
        }

        LuaValue encode(LuaValue v) throws EncodeException {
            value(v, 0);
            return LuaString.valueUsing(out.toByteArray());
        }

        private void value(LuaValue v, int depth) throws EncodeException {
            switch (v.type()) {
                case LuaValue.TNIL -> ascii("null");
                case LuaValue.TBOOLEAN -> ascii(v.toboolean() ? "true" : "false");
                case LuaValue.TNUMBER -> number(v.todouble());
                case LuaValue.TSTRING -> string(v.strvalue());
                case LuaValue.TTABLE -> table((LuaTable) v, depth + 1);
                case LuaValue.TUSERDATA, LuaValue.TLIGHTUSERDATA -> {
                    if (v == LuaNull.NULL) {
                        ascii("null");
                    } else if (v == LuaNull.EMPTY_ARRAY) {
                        ascii("[]");
                    } else {
                        throw unsupported(v);
                    }
                }
                default -> throw unsupported(v);
            }
        }

        private EncodeException unsupported(LuaValue v) {
            return new EncodeException("Cannot serialise " + v.typename() + ": type not supported");
        }

        private void number(double d) throws EncodeException {
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new EncodeException("Cannot serialise number: must not be NaN or Inf");
            }
            ascii(PrintfG.format(d, cfg.precision));
        }

        private void table(LuaTable t, int depth) throws EncodeException {
            if (depth > cfg.encodeMaxDepth) {
                throw new EncodeException("Cannot serialise, excessive nesting (" + depth + ")");
            }
            LuaValue mt = t.getmetatable();
            if (mt != null && mt == cfg.arrayMt) {
                array(t, t.rawlen(), depth);
                return;
            }
            // array when every key is a positive integer; its length is the largest key
            int max = 0;
            int items = 0;
            boolean object = false;
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = t.next(k);
                k = n.arg1();
                if (k.isnil()) {
                    break;
                }
                if (k.type() == LuaValue.TNUMBER) {
                    double d = k.todouble();
                    if (d >= 1 && d == Math.floor(d) && d <= Integer.MAX_VALUE) {
                        max = Math.max(max, (int) d);
                        items++;
                        continue;
                    }
                }
                object = true;
                break;
            }
            if (!object && items == 0) {
                boolean asArray = (mt != null && mt == cfg.emptyArrayMt) || !cfg.emptyTableAsObject;
                ascii(asArray ? "[]" : "{}");
                return;
            }
            if (!object) {
                if (max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
                    if (!cfg.sparseConvert) {
                        throw new EncodeException("Cannot serialise table: excessively sparse array");
                    }
                    object = true;
                } else {
                    array(t, max, depth);
                    return;
                }
            }
            out.write('{');
            boolean first = true;
            k = LuaValue.NIL;
            while (true) {
                Varargs n = t.next(k);
                k = n.arg1();
                if (k.isnil()) {
                    break;
                }
                if (!first) {
                    out.write(',');
                }
                first = false;
                if (k.type() == LuaValue.TSTRING) {
                    string(k.strvalue());
                } else if (k.type() == LuaValue.TNUMBER) {
                    out.write('"');
                    number(k.todouble());
                    out.write('"');
                } else {
                    throw new EncodeException("Cannot serialise " + k.typename() + ": table key must be a number or string");
                }
                out.write(':');
                value(n.arg(2), depth);
            }
            out.write('}');
        }

        private void array(LuaTable t, int len, int depth) throws EncodeException {
            out.write('[');
            for (int i = 1; i <= len; i++) {
                if (i > 1) {
                    out.write(',');
                }
                value(t.rawget(i), depth);
            }
            out.write(']');
        }

        private void string(LuaString s) {
            out.write('"');
            byte[] b = s.m_bytes;
            for (int i = s.m_offset, end = s.m_offset + s.m_length; i < end; i++) {
                int c = b[i] & 0xFF;
                switch (c) {
                    case '"' -> ascii("\\\"");
                    case '\\' -> ascii("\\\\");
                    case '\b' -> ascii("\\b");
                    case '\t' -> ascii("\\t");
                    case '\n' -> ascii("\\n");
                    case '\f' -> ascii("\\f");
                    case '\r' -> ascii("\\r");
                    case '/' -> ascii(cfg.escapeForwardSlash ? "\\/" : "/");
                    default -> {
                        if (c < 0x20 || c == 0x7f) {
                            ascii(String.format("\\u%04x", c));
                        } else {
                            out.write(c);
                        }
                    }
                }
            }
            out.write('"');
        }

        private void ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                out.write(s.charAt(i));
            }
        }
    }

    /** A Lua value from JSON bytes, with lua-cjson's tokens, positions and messages. */
    static final class JsonDecoder {
        static final class DecodeException extends Exception {
            DecodeException(String message) {
                super(message, null, false, false);
            }
        }

        private enum T {
            T_OBJ_BEGIN, T_OBJ_END, T_ARR_BEGIN, T_ARR_END, T_STRING, T_NUMBER, T_BOOLEAN, T_NULL, T_COLON,
            T_COMMA, T_END, T_ERROR
        }

        private final Config cfg;
        private final byte[] b;
        private final int base;
        private final int len;
        private int pos;
        private int depth;
        // the current token
        private T type;
        private int index;
        private LuaValue value;
        private String error;

        JsonDecoder(Config cfg, LuaString s) {
            this.cfg = cfg;
            this.b = s.m_bytes;
            this.base = s.m_offset;
            this.len = s.m_length;
        }

        LuaValue decode() throws DecodeException {
            next();
            LuaValue v = processValue();
            next();
            if (type != T.T_END) {
                throw expected("the end");
            }
            return v;
        }

        private int at(int i) {
            return i < len ? b[base + i] & 0xFF : -1;
        }

        private DecodeException expected(String what) {
            String found = type == T.T_ERROR ? error : type.name();
            return new DecodeException("Expected " + what + " but found " + found + " at character " + (index + 1));
        }

        private LuaValue processValue() throws DecodeException {
            return switch (type) {
                case T_STRING, T_NUMBER, T_BOOLEAN, T_NULL -> value;
                case T_OBJ_BEGIN -> object();
                case T_ARR_BEGIN -> array();
                default -> throw expected("value");
            };
        }

        private void descend() throws DecodeException {
            depth++;
            if (depth > cfg.decodeMaxDepth) {
                throw new DecodeException("Found too many nested data structures (" + depth + ") at character " + (index + 1));
            }
        }

        private LuaValue object() throws DecodeException {
            descend();
            LuaTable t = new LuaTable();
            next();
            if (type == T.T_OBJ_END) {
                depth--;
                return t;
            }
            while (true) {
                if (type != T.T_STRING) {
                    throw expected("object key string");
                }
                LuaValue key = value;
                next();
                if (type != T.T_COLON) {
                    throw expected("colon");
                }
                next();
                t.rawset(key, processValue());
                next();
                if (type == T.T_OBJ_END) {
                    break;
                }
                if (type != T.T_COMMA) {
                    throw expected("comma or object end");
                }
                next();
            }
            depth--;
            return t;
        }

        private LuaValue array() throws DecodeException {
            descend();
            LuaTable t = new LuaTable();
            if (cfg.decodeArrayWithArrayMt) {
                t.setmetatable(cfg.arrayMt);
            }
            next();
            if (type == T.T_ARR_END) {
                depth--;
                return t;
            }
            for (int i = 1;; i++) {
                t.rawset(i, processValue());
                next();
                if (type == T.T_ARR_END) {
                    break;
                }
                if (type != T.T_COMMA) {
                    throw expected("comma or array end");
                }
                next();
            }
            depth--;
            return t;
        }

        private void next() {
            int c = at(pos);
            while (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                c = at(++pos);
            }
            index = pos;
            value = null;
            switch (c) {
                case -1 -> type = T.T_END;
                case '{' -> single(T.T_OBJ_BEGIN);
                case '}' -> single(T.T_OBJ_END);
                case '[' -> single(T.T_ARR_BEGIN);
                case ']' -> single(T.T_ARR_END);
                case ':' -> single(T.T_COLON);
                case ',' -> single(T.T_COMMA);
                case '"' -> string();
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        number();
                    } else if (literal("true")) {
                        type = T.T_BOOLEAN;
                        value = LuaValue.TRUE;
                    } else if (literal("false")) {
                        type = T.T_BOOLEAN;
                        value = LuaValue.FALSE;
                    } else if (literal("null")) {
                        type = T.T_NULL;
                        value = LuaNull.NULL;
                    } else {
                        fail("invalid token");
                    }
                }
            }
        }

        private void single(T t) {
            type = t;
            pos++;
        }

        private void fail(String message) {
            type = T.T_ERROR;
            error = message;
        }

        private boolean literal(String word) {
            for (int i = 0; i < word.length(); i++) {
                if (at(pos + i) != word.charAt(i)) {
                    return false;
                }
            }
            pos += word.length();
            return true;
        }

        /** strtod's syntax for a decimal number; "01" and "1." are accepted, as cjson does. */
        private void number() {
            int start = pos;
            int p = pos;
            if (at(p) == '-') {
                p++;
            }
            int digits = 0;
            while (at(p) >= '0' && at(p) <= '9') {
                p++;
                digits++;
            }
            if (at(p) == '.') {
                p++;
                while (at(p) >= '0' && at(p) <= '9') {
                    p++;
                    digits++;
                }
            }
            if (digits == 0) {
                fail("invalid number");
                return;
            }
            if ((at(p) | 0x20) == 'e') {
                int q = p + 1;
                if (at(q) == '+' || at(q) == '-') {
                    q++;
                }
                if (at(q) >= '0' && at(q) <= '9') {
                    while (at(q) >= '0' && at(q) <= '9') {
                        q++;
                    }
                    p = q;
                }
            }
            String text = new String(b, base + start, p - start, java.nio.charset.StandardCharsets.ISO_8859_1);
            type = T.T_NUMBER;
            value = LuaValue.valueOf(Double.parseDouble(text));
            pos = p;
        }

        private void string() {
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            pos++;
            while (true) {
                int c = at(pos);
                if (c == -1) {
                    index = pos;
                    fail("unexpected end of string");
                    return;
                }
                if (c == '"') {
                    pos++;
                    break;
                }
                if (c != '\\') {
                    s.write(c);
                    pos++;
                    continue;
                }
                int e = at(pos + 1);
                switch (e) {
                    case '"', '\\', '/' -> s.write(e);
                    case 'b' -> s.write('\b');
                    case 'f' -> s.write('\f');
                    case 'n' -> s.write('\n');
                    case 'r' -> s.write('\r');
                    case 't' -> s.write('\t');
                    case 'u' -> {
                        int used = unicode(s);
                        if (used < 0) {
                            index = pos;
                            fail("invalid unicode escape code");
                            return;
                        }
                        pos += used;
                        continue;
                    }
                    default -> {
                        index = pos;
                        fail("invalid escape code");
                        return;
                    }
                }
                pos += 2;
            }
            type = T.T_STRING;
            value = LuaString.valueUsing(s.toByteArray());
        }

        private int hex4(int p) {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int c = at(p + i);
                int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
                if (d < 0) {
                    return -1;
                }
                v = v * 16 + d;
            }
            return v;
        }

        /** Decodes \\uXXXX (and a following low surrogate) at pos as UTF-8; bytes consumed, or -1. */
        private int unicode(ByteArrayOutputStream s) {
            int cp = hex4(pos + 2);
            if (cp < 0) {
                return -1;
            }
            int used = 6;
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return -1;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (at(pos + 6) != '\\' || at(pos + 7) != 'u') {
                    return -1;
                }
                int lo = hex4(pos + 8);
                if (lo < 0xDC00 || lo > 0xDFFF) {
                    return -1;
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                used = 12;
            }
            if (cp < 0x80) {
                s.write(cp);
            } else if (cp < 0x800) {
                s.write(0xC0 | (cp >> 6));
                s.write(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                s.write(0xE0 | (cp >> 12));
                s.write(0x80 | ((cp >> 6) & 0x3F));
                s.write(0x80 | (cp & 0x3F));
            } else {
                s.write(0xF0 | (cp >> 18));
                s.write(0x80 | ((cp >> 12) & 0x3F));
                s.write(0x80 | ((cp >> 6) & 0x3F));
                s.write(0x80 | (cp & 0x3F));
            }
            return used;
        }
    }
}
