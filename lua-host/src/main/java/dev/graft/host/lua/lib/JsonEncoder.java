package dev.graft.host.lua.lib;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** JSON text from a Lua value, as lua-cjson writes it. */
final class JsonEncoder {
    static final class EncodeException extends Exception {
        EncodeException(String message) {
            super(message, null, false, false);
        }
    }

    private final CjsonLibrary.Config cfg;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    JsonEncoder(CjsonLibrary.Config cfg) {
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
