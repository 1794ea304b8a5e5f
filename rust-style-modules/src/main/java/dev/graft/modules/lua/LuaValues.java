package dev.graft.modules.lua;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * JSON settings values as the Lua module reads them (decoded by cjson: every number a double,
 * JSON null the truthy {@code cjson.null}): truthiness, type checks, {@code tostring},
 * {@code tonumber}. The host binds loosely typed settings to String, Number, Boolean, List and
 * Map. In the Object-taking methods Java null means absent (Lua nil) and {@link #NULL} a JSON
 * null that was present in an object.
 *
 * <p>Two families of ports were merged here and differ at the edges; both are kept, by name:
 * {@link #toText(Object)} prints a negative zero as {@code 0}, {@link #tostring(Object)} and
 * {@link #number14g(double)} as LuaJIT does ({@code -0}).
 */
public final class LuaValues {

    /** A JSON null present in an object: {@code cjson.null} in Lua. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "userdata: NULL";
        }
    };

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]+");

    private LuaValues() {}

    /** {@code map[key]}: null when absent, {@link #NULL} when present as JSON null. */
    public static Object field(Map<?, ?> map, String key) {
        Object v = map.get(key);
        return v == null && map.containsKey(key) ? NULL : v;
    }

    /** Lua's {@code v or default}: nil and false take the default. */
    public static Object or(Object v, Object dflt) {
        return v == null || Boolean.FALSE.equals(v) ? dflt : v;
    }

    /** Lua's truth: everything but nil (absent) and false. */
    public static boolean truthy(Optional<Object> v) {
        return v.isPresent() && !Boolean.FALSE.equals(v.get());
    }

    /** Whether the value is a Lua table (a JSON object or array). */
    public static boolean isTable(Object v) {
        return v instanceof Map<?, ?> || v instanceof List<?>;
    }

    /** {@code type(v) == "number"}. */
    public static boolean isNumber(Object v) {
        return v instanceof Number;
    }

    /** The double of a value known to be a number ({@link #isNumber}). */
    public static double number(Object v) {
        return ((Number) v).doubleValue();
    }

    /** {@code type(v) == "number" and v >= lo and v <= 2147483647 and v == math.floor(v)}. */
    public static boolean intIn(Object v, double lo) {
        if (!(v instanceof Number n)) {
            return false;
        }
        double d = n.doubleValue();
        return d >= lo && d <= 2147483647.0 && d == Math.floor(d);
    }

    /**
     * {@code tonumber(v)} of a settings value: numbers as they are, strings (surrounding Java
     * whitespace stripped) parsed as a decimal or an unsigned 0x integer, anything else nil.
     * For request text use {@link LuaText#tonumber(String)}, which trims only Lua's {@code %s}
     * and takes a signed hexadecimal.
     */
    public static Optional<Double> toNumber(Object v) {
        if (v instanceof Number n) {
            return Optional.of(n.doubleValue());
        }
        if (v instanceof String s) {
            String t = s.strip();
            if (HEX.matcher(t).matches()) {
                return Optional.of((double) Long.parseLong(t.substring(2), 16));
            }
            if (DECIMAL.matcher(t).matches()) {
                return Optional.of(Double.parseDouble(t));
            }
        }
        return Optional.empty();
    }

    /** {@link #toText(Object)} for an absent value ("nil") or a JSON value. */
    public static String toText(Optional<Object> v) {
        return v.map(LuaValues::toText).orElse("nil");
    }

    /**
     * {@code tostring(v)} of a present JSON value; a table prints as "table", a number as
     * {@code %.14g} but with a negative zero as {@code 0}.
     */
    public static String toText(Object v) {
        return switch (v) {
            case String s -> s;
            case Boolean b -> b ? "true" : "false";
            case Number n -> format14g(n.doubleValue(), false);
            case Map<?, ?> m -> "table";
            case List<?> l -> "table";
            default -> String.valueOf(v);
        };
    }

    /**
     * Lua's {@code tostring(v)} of a decoded JSON value: null is "nil", a table "table", a number
     * as {@link #number14g(double)}.
     */
    public static String tostring(Object v) {
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

    /** A number as LuaJIT's {@code tostring} prints it: C's {@code %.14g}, {@code -0} included. */
    public static String number14g(double d) {
        return format14g(d, true);
    }

    private static String format14g(double d, boolean signedZero) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return signedZero && d == 0 && 1 / d < 0 ? "-0" : Long.toString((long) d);
        }
        BigDecimal r = new BigDecimal(d).round(new MathContext(14));
        int exp = r.precision() - r.scale() - 1;
        if (exp < -4 || exp >= 14) {
            String m = r.movePointLeft(exp).stripTrailingZeros().toPlainString();
            String e = Integer.toString(Math.abs(exp));
            return m + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        return r.stripTrailingZeros().toPlainString();
    }
}
