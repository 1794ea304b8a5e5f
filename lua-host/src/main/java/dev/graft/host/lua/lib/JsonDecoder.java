package dev.graft.host.lua.lib;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** A Lua value from JSON bytes, with lua-cjson's tokens, positions and messages. */
final class JsonDecoder {
    static final class DecodeException extends Exception {
        DecodeException(String message) {
            super(message, null, false, false);
        }
    }

    private enum T {
        T_OBJ_BEGIN, T_OBJ_END, T_ARR_BEGIN, T_ARR_END, T_STRING, T_NUMBER, T_BOOLEAN, T_NULL, T_COLON,
        T_COMMA, T_END, T_ERROR
    }

    private final CjsonLibrary.Config cfg;
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

    JsonDecoder(CjsonLibrary.Config cfg, LuaString s) {
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
                } else if (c == '+' || startsWithIgnoreCase("inf") || startsWithIgnoreCase("nan")) {
                    // lua-cjson's decode_invalid_numbers (on by default): +1, Infinity, NaN
                    number();
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

    private boolean startsWithIgnoreCase(String word) {
        for (int i = 0; i < word.length(); i++) {
            if ((at(pos + i) | 0x20) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A number as C's strtod reads it, which is what lua-cjson does: a sign, then a decimal
     * ("01" and "1." are accepted), hexadecimal ("0x1F"), "inf"/"infinity" or "nan".
     */
    private void number() {
        int start = pos;
        int p = pos;
        boolean negative = false;
        if (at(p) == '-' || at(p) == '+') {
            negative = at(p) == '-';
            p++;
        }
        double v;
        if (at(p) == '0' && (at(p + 1) | 0x20) == 'x' && Character.digit(at(p + 2), 16) >= 0) {
            p += 2;
            v = 0;
            while (at(p) >= 0 && Character.digit(at(p), 16) >= 0) {
                v = v * 16 + Character.digit(at(p), 16);
                p++;
            }
        } else if ((at(p) | 0x20) == 'i' && (at(p + 1) | 0x20) == 'n' && (at(p + 2) | 0x20) == 'f') {
            p += 3;
            String rest = "inity";
            int k = 0;
            while (k < rest.length() && (at(p + k) | 0x20) == rest.charAt(k)) {
                k++;
            }
            if (k == rest.length()) {
                p += k;
            }
            v = Double.POSITIVE_INFINITY;
        } else if ((at(p) | 0x20) == 'n' && (at(p + 1) | 0x20) == 'a' && (at(p + 2) | 0x20) == 'n') {
            p += 3;
            v = Double.NaN;
        } else {
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
            int from = at(start) == '+' ? start + 1 : start;
            v = Math.abs(Double.parseDouble(new String(b, base + from, p - from, java.nio.charset.StandardCharsets.ISO_8859_1)));
        }
        type = T.T_NUMBER;
        value = LuaValue.valueOf(negative ? -v : v);
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
