package dev.graft.host.lua.ngx;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code application/x-www-form-urlencoded} as lua-nginx-module reads and writes it: the parser
 * behind {@code ngx.req.get_uri_args}/{@code get_post_args} and the encoder behind
 * {@code ngx.req.set_uri_args(table)}. Works on bytes, without regular expressions.
 */
final class ArgsCodec {

    private static final LuaString TRUNCATED = LuaString.valueOf("truncated");

    private ArgsCodec() {}

    /**
     * Parses {@code src[off, off+len)} into a table: repeated keys become lists, a key without
     * '=' is {@code true}; '+' and %XX are decoded. At most {@code max} args (0: no limit);
     * past it the second result is the string "truncated", as in OpenResty.
     */
    static Varargs parse(byte[] src, int off, int len, int max) {
        LuaTable t = new LuaTable();
        int end = off + len;
        int count = 0;
        int i = off;
        while (i < end) {
            int amp = i;
            while (amp < end && src[amp] != '&') {
                amp++;
            }
            if (amp > i) {
                if (max > 0 && count >= max) {
                    return LuaValue.varargsOf(t, TRUNCATED);
                }
                int eq = i;
                while (eq < amp && src[eq] != '=') {
                    eq++;
                }
                LuaString key = unescape(src, i, eq - i);
                if (key.m_length > 0) {
                    LuaValue value = eq < amp ? unescape(src, eq + 1, amp - eq - 1) : LuaValue.TRUE;
                    add(t, key, value);
                    count++;
                }
            }
            i = amp + 1;
        }
        return t;
    }

    private static void add(LuaTable t, LuaString key, LuaValue value) {
        LuaValue old = t.rawget(key);
        if (old.isnil()) {
            t.rawset(key, value);
        } else if (old.istable()) {
            LuaTable list = (LuaTable) old;
            list.rawset(list.length() + 1, value);
        } else {
            LuaTable list = new LuaTable(4, 0);
            list.rawset(1, old);
            list.rawset(2, value);
            t.rawset(key, list);
        }
    }

    /** Decodes %XX and '+' (as space); a malformed escape is kept as it is. */
    static LuaString unescape(byte[] src, int off, int len) {
        boolean plain = true;
        for (int i = off; i < off + len; i++) {
            if (src[i] == '%' || src[i] == '+') {
                plain = false;
                break;
            }
        }
        if (plain) {
            return LuaString.valueOf(src, off, len);
        }
        byte[] out = new byte[len];
        int n = 0;
        for (int i = off; i < off + len; i++) {
            byte c = src[i];
            if (c == '+') {
                out[n++] = ' ';
            } else if (c == '%' && i + 2 < off + len && hex(src[i + 1]) >= 0 && hex(src[i + 2]) >= 0) {
                out[n++] = (byte) (hex(src[i + 1]) << 4 | hex(src[i + 2]));
                i += 2;
            } else {
                out[n++] = c;
            }
        }
        return LuaString.valueOf(out, 0, n);
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Encodes a table the way {@code ngx.encode_args} does: {@code k=v} joined by '&', a list
     * value repeats its key, {@code true} gives a bare key, {@code false} is left out.
     */
    static String encode(LuaTable args, String fn) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs next = args.next(k);
            k = next.arg1();
            if (k.isnil()) {
                break;
            }
            LuaValue v = next.arg(2);
            if (!k.isstring()) {
                throw new LuaError("bad argument #1 to '" + fn + "' (non-string key: " + k.typename() + ")");
            }
            if (v.istable()) {
                LuaTable list = (LuaTable) v;
                int n = list.length();
                for (int i = 1; i <= n; i++) {
                    pair(out, k.checkstring(), list.rawget(i), fn);
                }
            } else {
                pair(out, k.checkstring(), v, fn);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static void pair(ByteArrayOutputStream out, LuaString key, LuaValue v, String fn) {
        if (v.isboolean()) {
            if (!v.toboolean()) {
                return;
            }
            sep(out);
            escape(out, key);
        } else if (v.isstring()) {
            sep(out);
            escape(out, key);
            out.write('=');
            escape(out, v.checkstring());
        } else {
            throw new LuaError("bad argument #1 to '" + fn + "' (attempt to use " + v.typename()
                    + " as query arg value)");
        }
    }

    private static void sep(ByteArrayOutputStream out) {
        if (out.size() > 0) {
            out.write('&');
        }
    }

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Percent-encodes all but ALPHA / DIGIT and {@code -._~!*'()}: lua-nginx-module's URI
     * component escaping, as measured on nginx.
     */
    static void escape(ByteArrayOutputStream out, LuaString s) {
        for (int i = 0; i < s.m_length; i++) {
            int c = s.m_bytes[s.m_offset + i] & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '!' || c == '*' || c == '\''
                    || c == '(' || c == ')') {
                out.write(c);
            } else {
                out.write('%');
                out.write(HEX[c >> 4]);
                out.write(HEX[c & 15]);
            }
        }
    }
}
