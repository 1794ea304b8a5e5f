package dev.graft.modules.lua;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Text as the Lua module holds it: a byte string, one char per byte (settings text is its JSON
 * string's UTF-8 bytes; request text arrives in that form too). Also Lua's string functions the
 * ports need on such text, path re-escaping, and Jackson's null-for-absent made Optional.
 */
public final class LuaText {

    private static final Pattern HEX_NUMBER = Pattern.compile("[+-]?0[xX][0-9a-fA-F]+");
    private static final Pattern DECIMAL_NUMBER = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

    private LuaText() {}

    /** The UTF-8 bytes of Java text as one char per byte: the Lua byte string of {@code s}. */
    public static String bytes(String s) {
        // ASCII is its own UTF-8
        return ascii(s) ? s : new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /**
     * A byte string (one char per byte) as the Java text a {@code CtxType.TEXT} key carries: its
     * bytes read as UTF-8, which the host writes back to Lua as the same bytes. Empty when the
     * bytes are not UTF-8 (such a value cannot cross as TEXT unchanged).
     */
    public static Optional<String> ctxText(String byteChars) {
        if (ascii(byteChars)) {
            return Optional.of(byteChars); // ASCII bytes are UTF-8 that reads as the same chars
        }
        byte[] b = byteChars.getBytes(StandardCharsets.ISO_8859_1);
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** Whether every char of {@code s} is ASCII (below 0x80). */
    public static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Jackson leaves an absent Optional component null; this makes it empty. */
    @SuppressWarnings("OptionalAssignedToNull")
    public static <T> Optional<T> orEmpty(Optional<T> o) {
        return o == null ? Optional.empty() : o;
    }

    /** A string setting the Lua module takes only when non-empty, as Lua bytes. */
    public static Optional<String> nonEmpty(Optional<String> o) {
        return orEmpty(o).filter(s -> !s.isEmpty()).map(LuaText::bytes);
    }

    /** A-Z to a-z, other bytes as they are (Lua's string.lower in the C locale). */
    public static String asciiLower(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                out.setCharAt(i, (char) (c + 32));
            }
        }
        return out == null ? s : out.toString();
    }

    /** Whether {@code c} is in Lua's {@code %s} (C isspace): space, \t, \n, \v, \f, \r. */
    public static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /**
     * {@code ngx.unescape_uri} on a byte string: %XX decoded, '+' becomes a space (as measured
     * on OpenResty), a malformed escape kept as it is.
     */
    public static String unescapeUri(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        return unescapeUri(s, 0, s.length());
    }

    /** {@link #unescapeUri(String)} of the chars {@code [from, to)} of {@code s}. */
    public static String unescapeUri(String s, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.append(' ');
            } else if (c == '%' && i + 2 < to && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                out.append((char) (hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2))));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int hex(char c) {
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
     * Lua's {@code tonumber(s)} for the text of a header: surrounding {@code %s} allowed, a decimal
     * (sign, fraction, exponent) or a signed 0x hexadecimal; anything else is nil (empty). For a
     * settings value use {@link LuaValues#toNumber(Object)}, whose edges differ.
     */
    public static OptionalDouble tonumber(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isSpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isSpace(s.charAt(b - 1))) {
            b--;
        }
        String t = s.substring(a, b);
        if (HEX_NUMBER.matcher(t).matches()) {
            boolean neg = t.charAt(0) == '-';
            String digits = t.substring(t.indexOf('x') >= 0 ? t.indexOf('x') + 1 : t.indexOf('X') + 1);
            double v = 0;
            for (int i = 0; i < digits.length(); i++) {
                v = v * 16 + hex(digits.charAt(i));
            }
            return OptionalDouble.of(neg ? -v : v);
        }
        if (DECIMAL_NUMBER.matcher(t).matches()) {
            return OptionalDouble.of(Double.parseDouble(t));
        }
        return OptionalDouble.empty();
    }

    /**
     * Re-escapes a decoded path byte string: percent-encodes every byte but
     * {@code A-Z a-z 0-9 - . _ ~ / ! $ & ' ( ) * + , ; = : @}.
     */
    public static String escapePath(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (keptInPath(c)) {
                if (out != null) {
                    out.append(c);
                }
            } else {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                int b = c & 0xFF;
                out.append('%').append(UPPER_HEX[b >> 4]).append(UPPER_HEX[b & 0xF]);
            }
        }
        return out == null ? s : out.toString();
    }

    private static boolean keptInPath(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0;
    }
}
