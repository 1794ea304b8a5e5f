package dev.graft.modules.waf;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Lua semantics the port needs: how the Lua module sees a JSON config value (decoded by cjson: every number a double, JSON
 * null the truthy {@code cjson.null}), for the type checks and the {@code tostring} in its log
 * lines. Java null here means absent (Lua nil); {@link #NULL} stands for a JSON null that was
 * present in an object.
 */
final class LuaText {

    /** A JSON null present in an object: {@code cjson.null} in Lua. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "userdata: NULL";
        }
    };

    private static final Pattern HEX_NUMBER = Pattern.compile("[+-]?0[xX][0-9a-fA-F]+");
    private static final Pattern DECIMAL_NUMBER = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    private LuaText() {}

    /** {@code map[key]}: null when absent, {@link #NULL} when present as JSON null. */
    static Object field(Map<?, ?> map, String key) {
        Object v = map.get(key);
        return v == null && map.containsKey(key) ? NULL : v;
    }

    /** Lua's {@code v or default}: nil and false take the default. */
    static Object or(Object v, Object dflt) {
        return v == null || Boolean.FALSE.equals(v) ? dflt : v;
    }

    static boolean isNumber(Object v) {
        return v instanceof Number;
    }

    static double number(Object v) {
        return ((Number) v).doubleValue();
    }

    /** {@code type(v) == "number" and v >= lo and v <= 2147483647 and v == math.floor(v)}. */
    static boolean intIn(Object v, double lo) {
        if (!(v instanceof Number n)) {
            return false;
        }
        double d = n.doubleValue();
        return d >= lo && d <= 2147483647.0 && d == Math.floor(d);
    }

    /** Lua's {@code tostring(v)} of a decoded JSON value. */
    static String tostring(Object v) {
        if (v == null) {
            return "nil";
        }
        if (v instanceof Number n) {
            return number14g(n.doubleValue());
        }
        if (v instanceof List<?> || v instanceof Map<?, ?>) {
            // the address Lua prints cannot be reproduced
            return "table";
        }
        return v.toString();
    }

    /** A number as LuaJIT's {@code tostring} prints it: C's {@code %.14g}. */
    static String number14g(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return d == 0 && 1 / d < 0 ? "-0" : Long.toString((long) d);
        }
        BigDecimal r = new BigDecimal(d).round(new MathContext(14));
        int exp = r.precision() - r.scale() - 1;
        if (exp < -4 || exp >= 14) {
            BigDecimal mant = r.movePointLeft(exp).stripTrailingZeros();
            String m = mant.toPlainString();
            String e = Integer.toString(Math.abs(exp));
            return m + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        String s = r.stripTrailingZeros().toPlainString();
        return s;
    }

    /** A-Z to a-z, other bytes as they are (Lua's string.lower in the C locale). */
    static String asciiLower(String s) {
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
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** The UTF-8 bytes of {@code s} as one char per byte: a Java text as a Lua byte string. */
    static String bytesOf(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return s;
    }

    /**
     * {@code ngx.unescape_uri} on a byte string: %XX decoded, '+' becomes a space (as measured
     * on OpenResty), a malformed escape kept as it is.
     */
    static String unescapeUri(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.append(' ');
            } else if (c == '%' && i + 2 < n && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
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
     * Lua's {@code tonumber(s)} for the text of a header: surrounding spaces allowed, a decimal
     * (sign, fraction, exponent) or a 0x hexadecimal integer; anything else is nil (empty).
     */
    static OptionalDouble tonumber(String s) {
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
}
