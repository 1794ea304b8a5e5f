package dev.graft.modules.ratelimit;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;

/**
 * How the Lua module sees a JSON config value (decoded by cjson: every number a double, JSON
 * null the truthy {@code cjson.null}), for the type checks and the {@code tostring} in its log
 * lines. Java null here means absent (Lua nil); {@link #NULL} stands for a JSON null that was
 * present in an object.
 */
final class LuaValues {

    /** A JSON null present in an object: {@code cjson.null} in Lua. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "userdata: NULL";
        }
    };

    private LuaValues() {}

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
}
