package dev.graft.host.lua.lib;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The request-independent digests and encodings of the {@code ngx} table, all on Lua
 * byte strings with no charset conversion:
 *
 * <table>
 *   <tr><td>digests</td><td>md5, md5_bin, sha1_bin, hmac_sha1, crc32_short, crc32_long</td></tr>
 *   <tr><td>base64</td><td>encode_base64 (no_padding flag), decode_base64 (nil on invalid input, nginx's rules)</td></tr>
 *   <tr><td>URI</td><td>escape_uri (types 0 to 6 as ngx_escape_uri, default 2), unescape_uri ('+' becomes a space, as measured on OpenResty)</td></tr>
 *   <tr><td>args</td><td>encode_args, decode_args (max_args, default 100)</td></tr>
 *   <tr><td>SQL</td><td>quote_sql_str</td></tr>
 * </table>
 *
 * Digest objects are per installed VM (a VM is single-threaded), never shared.
 */
public final class NgxCodecs {

    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final HexFormat HEX_LOWER = HexFormat.of();
    // bytes that ngx_escape_uri leaves alone, per type 0..6 (measured on nginx 1.22):
    // URI, ARGS, URI_COMPONENT, HTML, REFRESH, MEMCACHED, MAIL_AUTH
    private static final boolean[][] KEEP = {
        keepPrintableExcept("#%?", false),
        keepPrintableExcept("#%+?", false),
        keep("-._~!*'()"),
        keepPrintableExcept("\"#%'", false),
        keepPrintableExcept("\"'", false),
        keepPrintableExcept("%", true),
        keepPrintableExcept("%", true),
    };
    private static final boolean[] KEEP_COMPONENT = KEEP[2];
    private static final int[] BASE64_VALUE = base64Values();

    private final MessageDigest md5;
    private final MessageDigest sha1;

    private NgxCodecs() {
        try {
            md5 = MessageDigest.getInstance("MD5");
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5 or SHA-1", e);
        }
    }

    /** Registers the functions of this class on {@code ngx}. */
    public static void install(LuaTable ngx) {
        requireNonNull(ngx, "ngx");
        NgxCodecs c = new NgxCodecs();
        ngx.set("md5", new LuaFn("md5", a -> LuaValue.valueOf(HEX_LOWER.formatHex(c.digest(c.md5, str(a, 1))))));
        ngx.set("md5_bin", new LuaFn("md5_bin", a -> LuaString.valueUsing(c.digest(c.md5, str(a, 1)))));
        ngx.set("sha1_bin", new LuaFn("sha1_bin", a -> LuaString.valueUsing(c.digest(c.sha1, str(a, 1)))));
        ngx.set("hmac_sha1", new LuaFn("hmac_sha1", a -> LuaString.valueUsing(c.hmacSha1(str(a, 1), str(a, 2)))));
        ngx.set("crc32_short", new LuaFn("crc32_short", a -> LuaValue.valueOf((double) crc32(str(a, 1)))));
        ngx.set("crc32_long", new LuaFn("crc32_long", a -> LuaValue.valueOf((double) crc32(str(a, 1)))));
        ngx.set("encode_base64", new LuaFn("encode_base64", a -> {
            LuaString s = str(a, 1);
            Base64.Encoder enc = a.arg(2).toboolean() ? Base64.getEncoder().withoutPadding() : Base64.getEncoder();
            return LuaString.valueUsing(enc.encode(bytes(s)));
        }));
        ngx.set("decode_base64", new LuaFn("decode_base64", a -> {
            if (!a.arg1().isstring()) {
                throw new org.luaj.vm2.LuaError("string argument only");
            }
            byte[] out = decodeBase64(a.checkstring(1));
            return out == null ? LuaValue.NIL : LuaString.valueUsing(out);
        }));
        ngx.set("escape_uri", new LuaFn("escape_uri", a -> {
            int type = a.optint(2, 2);
            if (type < 0 || type >= KEEP.length) {
                throw new org.luaj.vm2.LuaError("\"type\" " + type + " out of range");
            }
            return escape(str(a, 1), KEEP[type]);
        }));
        ngx.set("unescape_uri", new LuaFn("unescape_uri", a -> unescape(str(a, 1), 0, str(a, 1).m_length)));
        ngx.set("encode_args", new LuaFn("encode_args", a -> encodeArgs(a.checktable(1))));
        ngx.set("decode_args", new LuaFn("decode_args", a -> decodeArgs(a.checkstring(1), a.optint(2, 100))));
        ngx.set("quote_sql_str", new LuaFn("quote_sql_str", a -> quoteSql(str(a, 1))));
    }

    // ---------------------------------------------------------------- digests

    private byte[] digest(MessageDigest md, LuaString s) {
        md.reset();
        md.update(s.m_bytes, s.m_offset, s.m_length);
        return md.digest();
    }

    /** RFC 2104 over SHA-1; written out because javax.crypto refuses an empty key, nginx does not. */
    private byte[] hmacSha1(LuaString key, LuaString msg) {
        byte[] k = key.m_length > 64 ? digest(sha1, key) : bytes(key);
        byte[] ipad = new byte[64];
        byte[] opad = new byte[64];
        for (int i = 0; i < 64; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
        sha1.reset();
        sha1.update(ipad);
        sha1.update(msg.m_bytes, msg.m_offset, msg.m_length);
        byte[] inner = sha1.digest();
        sha1.update(opad);
        sha1.update(inner);
        return sha1.digest();
    }

    private static long crc32(LuaString s) {
        CRC32 crc = new CRC32();
        crc.update(s.m_bytes, s.m_offset, s.m_length);
        return crc.getValue();
    }

    // ---------------------------------------------------------------- base64

    /** nginx's ngx_decode_base64: input ends at the first '='; any other non-alphabet byte, or a length of 4n+1, is invalid. */
    static byte[] decodeBase64(LuaString s) {
        int len = 0;
        while (len < s.m_length) {
            int c = s.m_bytes[s.m_offset + len] & 0xFF;
            if (c == '=') {
                break;
            }
            if (BASE64_VALUE[c] < 0) {
                return null;
            }
            len++;
        }
        if (len % 4 == 1) {
            return null;
        }
        byte[] out = new byte[len * 3 / 4];
        int o = 0;
        int i = 0;
        while (len - i > 3) {
            int n = (v(s, i) << 18) | (v(s, i + 1) << 12) | (v(s, i + 2) << 6) | v(s, i + 3);
            out[o++] = (byte) (n >> 16);
            out[o++] = (byte) (n >> 8);
            out[o++] = (byte) n;
            i += 4;
        }
        if (len - i > 1) {
            out[o++] = (byte) ((v(s, i) << 2) | (v(s, i + 1) >> 4));
        }
        if (len - i > 2) {
            out[o++] = (byte) ((v(s, i + 1) << 4) | (v(s, i + 2) >> 2));
        }
        return out;
    }

    private static int v(LuaString s, int i) {
        return BASE64_VALUE[s.m_bytes[s.m_offset + i] & 0xFF];
    }

    // ---------------------------------------------------------------- URI

    static LuaString escape(LuaString s, boolean[] keep) {
        int extra = 0;
        for (int i = 0; i < s.m_length; i++) {
            if (!keep[s.m_bytes[s.m_offset + i] & 0xFF]) {
                extra += 2;
            }
        }
        if (extra == 0) {
            return s;
        }
        byte[] out = new byte[s.m_length + extra];
        int o = 0;
        for (int i = 0; i < s.m_length; i++) {
            int c = s.m_bytes[s.m_offset + i] & 0xFF;
            if (keep[c]) {
                out[o++] = (byte) c;
            } else {
                out[o++] = '%';
                out[o++] = HEX_UPPER[c >> 4];
                out[o++] = HEX_UPPER[c & 15];
            }
        }
        return LuaString.valueUsing(out);
    }

    /** Decodes %XX and '+' in bytes [from, to); a malformed escape is kept as it is. */
    static LuaString unescape(LuaString s, int from, int to) {
        byte[] out = new byte[to - from];
        int o = 0;
        byte[] b = s.m_bytes;
        int base = s.m_offset;
        for (int i = from; i < to; i++) {
            int c = b[base + i] & 0xFF;
            if (c == '+') {
                out[o++] = ' ';
            } else if (c == '%' && i + 2 < to && hex(b[base + i + 1]) >= 0 && hex(b[base + i + 2]) >= 0) {
                out[o++] = (byte) ((hex(b[base + i + 1]) << 4) | hex(b[base + i + 2]));
                i += 2;
            } else {
                out[o++] = (byte) c;
            }
        }
        return LuaString.valueOf(out, 0, o);
    }

    private static int hex(byte b) {
        int c = b & 0xFF;
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        c |= 0x20;
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    // ---------------------------------------------------------------- args

    /** Keys in table iteration order, as OpenResty (which does not sort either). */
    static LuaString encodeArgs(LuaTable t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            k = n.arg1();
            if (k.isnil()) {
                break;
            }
            LuaValue v = n.arg(2);
            if (k.type() != LuaValue.TSTRING) {
                throw new org.luaj.vm2.LuaError("attempt to use a non-string key in the \"args\" option table");
            }
            LuaString ek = escape(toStr(k), KEEP_COMPONENT);
            if (v.istable()) {
                // every value of the table, as OpenResty walks it (lua_next), not just 1..#t
                LuaTable list = (LuaTable) v;
                LuaValue lk = LuaValue.NIL;
                while (true) {
                    Varargs ln = list.next(lk);
                    lk = ln.arg1();
                    if (lk.isnil()) {
                        break;
                    }
                    appendArg(out, ek, ln.arg(2));
                }
            } else {
                appendArg(out, ek, v);
            }
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static void appendArg(ByteArrayOutputStream out, LuaString key, LuaValue v) {
        if (v.isboolean()) {
            if (!v.toboolean()) {
                return;
            }
            sep(out);
            out.write(key.m_bytes, key.m_offset, key.m_length);
            return;
        }
        if (!v.isstring()) {
            throw new org.luaj.vm2.LuaError("attempt to use " + v.typename() + " as query arg value");
        }
        sep(out);
        out.write(key.m_bytes, key.m_offset, key.m_length);
        out.write('=');
        LuaString ev = escape(toStr(v), KEEP_COMPONENT);
        out.write(ev.m_bytes, ev.m_offset, ev.m_length);
    }

    private static void sep(ByteArrayOutputStream out) {
        if (out.size() > 0) {
            out.write('&');
        }
    }

    /**
     * Splits on '&'; "k" alone gives true; repeated keys give a list; empty keys are
     * skipped. Past {@code maxArgs} (0: no limit) the rest is dropped and a second result,
     * "truncated", is returned, as OpenResty does.
     */
    static Varargs decodeArgs(LuaString s, int maxArgs) {
        LuaTable t = new LuaTable();
        int count = 0;
        int start = 0;
        int len = s.m_length;
        while (start <= len) {
            int amp = s.indexOf((byte) '&', start);
            int end = amp < 0 ? len : amp;
            if (end > start) {
                if (maxArgs > 0 && count >= maxArgs) {
                    return LuaValue.varargsOf(t, LuaValue.valueOf("truncated"));
                }
                count++;
                int eq = s.indexOf((byte) '=', start);
                LuaValue key;
                LuaValue value;
                if (eq < 0 || eq >= end) {
                    key = unescape(s, start, end);
                    value = LuaValue.TRUE;
                } else {
                    key = unescape(s, start, eq);
                    value = unescape(s, eq + 1, end);
                }
                if (((LuaString) key).m_length > 0) {
                    LuaValue prev = t.rawget(key);
                    if (prev.isnil()) {
                        t.rawset(key, value);
                    } else if (prev.istable()) {
                        ((LuaTable) prev).rawset(((LuaTable) prev).length() + 1, value);
                    } else {
                        LuaTable list = new LuaTable();
                        list.rawset(1, prev);
                        list.rawset(2, value);
                        t.rawset(key, list);
                    }
                }
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return t;
    }

    // ---------------------------------------------------------------- SQL

    static LuaString quoteSql(LuaString s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.m_length + 8);
        out.write('\'');
        for (int i = 0; i < s.m_length; i++) {
            int c = s.m_bytes[s.m_offset + i] & 0xFF;
            int esc = switch (c) {
                case 0 -> '0';
                case '\b' -> 'b';
                case '\n' -> 'n';
                case '\r' -> 'r';
                case '\t' -> 't';
                case 26 -> 'Z';
                case '\\', '\'', '"' -> c;
                default -> -1;
            };
            if (esc < 0) {
                out.write(c);
            } else {
                out.write('\\');
                out.write(esc);
            }
        }
        out.write('\'');
        return LuaString.valueUsing(out.toByteArray());
    }

    // ---------------------------------------------------------------- helpers

    /** A string argument as OpenResty takes it: numbers are converted, nil is the empty string. */
    private static LuaString str(Varargs a, int i) {
        LuaValue v = a.arg(i);
        if (v.isnil()) {
            return LuaValue.EMPTYSTRING;
        }
        return toStr(v.isstring() ? v : a.checkstring(i));
    }

    private static LuaString toStr(LuaValue v) {
        return v.strvalue();
    }

    private static byte[] bytes(LuaString s) {
        byte[] b = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
        return b;
    }

    /** Keeps 0x21..0x7E except {@code escaped}, and 0x7F..0xFF when {@code keepHigh}. */
    private static boolean[] keepPrintableExcept(String escaped, boolean keepHigh) {
        boolean[] keep = new boolean[256];
        for (int c = 0x21; c <= 0xFF; c++) {
            keep[c] = c < 0x7F ? escaped.indexOf(c) < 0 : keepHigh;
        }
        return keep;
    }

    private static boolean[] keep(String punct) {
        boolean[] keep = new boolean[256];
        for (int c = '0'; c <= '9'; c++) {
            keep[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            keep[c] = true;
            keep[c - 32] = true;
        }
        for (char c : punct.toCharArray()) {
            keep[c] = true;
        }
        return keep;
    }

    private static int[] base64Values() {
        int[] v = new int[256];
        java.util.Arrays.fill(v, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 64; i++) {
            v[alphabet.charAt(i)] = i;
        }
        return v;
    }
}
