package dev.graft.modules.accesslog;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * JSON values as the Lua module reads them from its settings table: truthiness, tostring,
 * tonumber. The host binds loosely typed settings to String, Number, Boolean, List and Map,
 * and these give the same answers Lua gives for the same JSON.
 */
final class LuaValues {

    private LuaValues() {}

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F]+");

    /** Lua's truth: everything but nil (absent) and false. */
    static boolean truthy(Optional<Object> v) {
        return v.isPresent() && !Boolean.FALSE.equals(v.get());
    }

    /** Whether the value is a Lua table (a JSON object or array). */
    static boolean isTable(Object v) {
        return v instanceof Map<?, ?> || v instanceof List<?>;
    }

    /** {@code tonumber(v)}: numbers as they are, strings parsed as Lua 5.1 does, anything else nil. */
    static Optional<Double> toNumber(Object v) {
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

    /** {@code tostring(v)} for an absent value or a JSON value; a table prints as "table". */
    static String toText(Optional<Object> v) {
        return v.map(LuaValues::toText).orElse("nil");
    }

    static String toText(Object v) {
        return switch (v) {
            case String s -> s;
            case Boolean b -> b ? "true" : "false";
            case Number n -> number(n.doubleValue());
            case Map<?, ?> m -> "table";
            case List<?> l -> "table";
            default -> String.valueOf(v);
        };
    }

    /** A number as LuaJIT's tostring prints it: {@code %.14g}. */
    static String number(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        BigDecimal bd = new BigDecimal(d).round(new MathContext(14));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 14) {
            BigDecimal mant = bd.movePointLeft(exp).stripTrailingZeros();
            String m = mant.toPlainString();
            String e = (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
            return m + "e" + e;
        }
        return bd.stripTrailingZeros().toPlainString();
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
