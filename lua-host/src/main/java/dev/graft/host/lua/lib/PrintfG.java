package dev.graft.host.lua.lib;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code printf("%.<p>g")} for doubles, which lua-cjson ({@code %.14g}) and LuaJIT's
 * number-to-string use. Java's {@code %g} keeps trailing zeros and never switches to the
 * shortest form, so it cannot stand in.
 */
public final class PrintfG {

    private PrintfG() {}

    /** {@code %.14g}: LuaJIT's and lua-cjson's default number format. */
    public static String format14(double d) {
        return format(d, 14);
    }

    /** {@code %.<precision>g}. */
    public static String format(double d, int precision) {
        if (Double.isNaN(d)) {
            return Double.doubleToRawLongBits(d) < 0 ? "-nan" : "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        int p = Math.max(precision, 1);
        if (d == Math.rint(d) && Math.abs(d) < 1e15 && p >= 15) {
            return Long.toString((long) d);
        }
        // the exact binary value, rounded like glibc (to nearest, ties to even)
        BigDecimal bd = new BigDecimal(d).round(new MathContext(p, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= p) {
            String digits = bd.unscaledValue().abs().toString();
            digits = stripZeros(digits);
            StringBuilder sb = new StringBuilder(24);
            if (bd.signum() < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ax = Math.abs(exp);
            if (ax < 10) {
                sb.append('0');
            }
            sb.append(ax);
            return sb.toString();
        }
        String plain = bd.setScale(Math.max(p - 1 - exp, 0), RoundingMode.HALF_EVEN).toPlainString();
        if (plain.indexOf('.') >= 0) {
            int end = plain.length();
            while (plain.charAt(end - 1) == '0') {
                end--;
            }
            if (plain.charAt(end - 1) == '.') {
                end--;
            }
            plain = plain.substring(0, end);
        }
        return plain;
    }

    private static String stripZeros(String digits) {
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return digits.substring(0, end);
    }
}
