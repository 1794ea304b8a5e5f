package dev.graft.modules.accesslog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The accesslog module's hand-made JSON encoding, byte for byte: {@code json_string},
 * {@code json_number}, {@code json_var_number} and {@code encode} of handler.lua. Strings are
 * byte-per-char (ISO-8859-1); bytes of 0x80 and above are written as they are.
 */
final class JsonLine {

    private JsonLine() {}

    /** Deeper tables are written as "...". */
    static final int MAX_DEPTH = 4;
    private static final Pattern VAR_NUMBER = Pattern.compile("[0-9]+\\.?[0-9]*");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A JSON string, cut to {@code maxLen} bytes plus "..." when longer (maxLen < 0: never cut). */
    static String string(String s, long maxLen) {
        if (maxLen >= 0 && s.length() > maxLen) {
            s = s.substring(0, (int) maxLen) + "...";
        }
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) { // %c in the C locale
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Integers as %d (up to 2^53), other numbers with three decimals, NaN/inf and huge as null. */
    static String number(double n) {
        if (Double.isNaN(n) || Double.isInfinite(n)) {
            return "null";
        }
        String sign = "";
        if (n < 0) {
            sign = "-";
            n = -n;
        }
        if (n % 1 == 0) {
            if (n < 9007199254740992.0) { // 2^53
                return sign + (long) n;
            }
            return "null";
        }
        // in doubles, as Lua computes it: above 2^53 milliseconds the digits are the double's
        double ms = Math.floor(n * 1000 + 0.5);
        long whole = (long) Math.floor(ms / 1000);
        long frac = (long) (ms - Math.floor(ms / 1000) * 1000); // Lua's a % b
        return sign + whole + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
    }

    /** A number nginx printed into a variable ("0.004", "1523"), copied when it looks numeric. */
    static java.util.Optional<String> varNumber(java.util.Optional<String> v) {
        return v.filter(s -> !s.isEmpty() && VAR_NUMBER.matcher(s).matches());
    }

    /**
     * {@code encode(v, max_len, depth)} for the values the context carries: String, Long,
     * Double, Boolean, a list of them, or a String-keyed map of them.
     */
    static String encode(Object v, long maxLen, int depth) {
        return switch (v) {
            case String s -> string(s, maxLen);
            case Number n -> number(n.doubleValue());
            case Boolean b -> b ? "true" : "false";
            case List<?> list -> {
                if (depth >= MAX_DEPTH) {
                    yield "\"...\"";
                }
                if (list.isEmpty()) {
                    yield "[]"; // an empty table is logged as an empty list
                }
                List<String> out = new ArrayList<>(list.size());
                for (Object x : list) {
                    out.add(encode(x, maxLen, depth + 1));
                }
                yield "[" + String.join(",", out) + "]";
            }
            case Map<?, ?> map -> {
                if (depth >= MAX_DEPTH) {
                    yield "\"...\"";
                }
                if (map.isEmpty()) {
                    yield "[]";
                }
                List<String> keys = new ArrayList<>();
                for (Object k : map.keySet()) {
                    keys.add(String.valueOf(k));
                }
                Collections.sort(keys);
                List<String> out = new ArrayList<>(keys.size());
                for (String k : keys) {
                    Object x = map.get(k);
                    if (x != null) {
                        out.add(string(k, -1) + ":" + encode(x, maxLen, depth + 1));
                    }
                }
                yield "{" + String.join(",", out) + "}";
            }
            default -> "null";
        };
    }
}
