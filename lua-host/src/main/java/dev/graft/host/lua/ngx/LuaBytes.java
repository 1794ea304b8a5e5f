package dev.graft.host.lua.ngx;

import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * Conversions between Java text and Lua byte strings on the request path.
 *
 * <p>HTTP header names and values are Latin-1 in Netty (one char per wire byte), so they map
 * byte for byte; that keeps any non-ASCII byte a client sent intact in both directions. Paths
 * and other decoded text are UTF-8. Both build the {@link LuaString} straight from a fresh
 * byte array ({@code valueUsing}), without LuaJ's own encoder.
 */
public final class LuaBytes {

    private LuaBytes() {}

    /** A Lua string holding one byte per char of {@code s} (chars above 0xFF are truncated). */
    public static LuaString latin1(CharSequence s) {
        if (s instanceof String str) {
            return LuaString.valueUsing(latin1Bytes(str));
        }
        int n = s.length();
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) s.charAt(i);
        }
        return LuaString.valueUsing(b);
    }

    /**
     * The bytes of {@code s}, one per char, chars above 0xFF truncated to their low byte.
     * {@code getBytes(ISO_8859_1)} is a plain copy for the (usual) all-Latin-1 string, but it
     * writes '?' for a char above 0xFF (one '?' for a surrogate pair, so the array is then
     * shorter than the string): the '?' positions are checked against the chars, and a
     * shorter array falls back to the char loop.
     */
    static byte[] latin1Bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        int n = s.length();
        if (b.length != n) {
            b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) s.charAt(i);
            }
            return b;
        }
        for (int i = 0; i < n; i++) {
            if (b[i] == '?') {
                b[i] = (byte) s.charAt(i);
            }
        }
        return b;
    }

    /** A Java string with one char per byte of {@code s}: the inverse of {@link #latin1}. */
    public static String latin1(LuaString s) {
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
    }

    /** A Lua string of the UTF-8 bytes of {@code s}, with an ASCII fast path. */
    public static LuaString utf8(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return LuaString.valueUsing(s.getBytes(StandardCharsets.UTF_8));
            }
        }
        return latin1(s);
    }

    /** The UTF-8 decoding of a Lua string. */
    public static String utf8(LuaString s) {
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.UTF_8);
    }

    /** The bytes of a Lua string, as a fresh array. */
    public static byte[] bytes(LuaString s) {
        byte[] b = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
        return b;
    }

    /** Lower-case ASCII form of a Lua string; the same instance when it has no upper case. */
    public static LuaString lower(LuaString s) {
        byte[] src = s.m_bytes;
        int off = s.m_offset;
        int n = s.m_length;
        for (int i = 0; i < n; i++) {
            byte c = src[off + i];
            if (c >= 'A' && c <= 'Z') {
                byte[] b = new byte[n];
                for (int j = 0; j < n; j++) {
                    byte d = src[off + j];
                    b[j] = d >= 'A' && d <= 'Z' ? (byte) (d + 32) : d;
                }
                return LuaString.valueUsing(b);
            }
        }
        return s;
    }

    /** Whether {@code s} starts with the ASCII {@code prefix}. */
    public static boolean startsWith(LuaString s, LuaString prefix) {
        if (s.m_length < prefix.m_length) {
            return false;
        }
        for (int i = 0; i < prefix.m_length; i++) {
            if (s.m_bytes[s.m_offset + i] != prefix.m_bytes[prefix.m_offset + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A number as LuaJIT writes it ({@code %.14g}), where LuaJ's own conversion differs for
     * non-integers ({@code 1/3} is "0.33333334" in LuaJ).
     */
    public static LuaString number(LuaValue n) {
        if (n.isinttype()) {
            return n.checkstring();
        }
        return LuaString.valueOf(dev.graft.host.lua.lib.PrintfG.format14(n.todouble()));
    }

    /** A string, or a number in LuaJIT's form: what ngx setters accept. */
    public static LuaString text(LuaValue v) {
        return v.type() == LuaValue.TNUMBER ? number(v) : v.checkstring();
    }

    /** The text of a Lua value that must be a string (or a number), as ngx setters accept. */
    public static LuaString checkString(LuaValue v, int arg, String fn) {
        if (v.isstring()) {
            return text(v);
        }
        throw new org.luaj.vm2.LuaError("bad argument #" + arg + " to '" + fn + "' (string expected, got "
                + v.typename() + ")");
    }
}
