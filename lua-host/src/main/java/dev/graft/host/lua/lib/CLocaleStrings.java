package dev.graft.host.lua.lib;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.StringLib;

/**
 * The string functions where LuaJ and LuaJIT (C locale) disagree, written as LuaJIT has them:
 * {@code string.format} with C printf semantics, byte-wise ASCII {@code string.lower} and
 * {@code string.upper}, {@code tostring} of numbers as {@code %.14g}, and the character
 * classes of Lua patterns ({@code %a %l %u %p %s ...}) of the C locale.
 *
 * <p>LuaJ's own versions go through Java text: {@code lower} maps bytes 0x80-0xFF as Latin-1
 * letters, {@code format("%d", 2^31)} wraps, {@code %.2f} ignores the precision, {@code %5s}
 * ignores the width, {@code %s} of nil fails; its pattern classes take Latin-1 letters for
 * {@code %a} and miss {@code [\]^_`{|}~} in {@code %p}.
 */
public final class CLocaleStrings {

    private CLocaleStrings() {}

    /** Puts {@code format}, {@code lower} and {@code upper} into a string library table. */
    public static void install(LuaTable string) {
        string.rawset("format", new LuaFn("format", CLocaleStrings::format));
        string.rawset("lower", new LuaFn("lower", a -> ascii(a.checkstring(1), true)));
        string.rawset("upper", new LuaFn("upper", a -> ascii(a.checkstring(1), false)));
    }

    /**
     * A {@code tostring} that writes numbers as LuaJIT does ({@code %.14g}) and leaves every
     * other value to {@code original}. Concatenation ({@code ..}) of a non-integer number
     * still goes through LuaJ's core and is not covered.
     */
    public static LuaValue tostring(LuaValue original) {
        return new LuaFn("tostring", a -> {
            LuaValue v = a.arg1();
            if (v.type() == LuaValue.TNUMBER && v.getmetatable() == null) {
                return number(v);
            }
            return original.invoke(a);
        });
    }

    /**
     * Makes LuaJ's pattern character classes those of the C locale, byte for byte. LuaJ keeps
     * them in one private table of {@link StringLib}, filled from Java's Unicode predicates; it
     * is rewritten in place once (JVM-wide, like the string metatable), at startup.
     */
    public static void installCharacterClasses() {
        try {
            java.lang.reflect.Field f = StringLib.class.getDeclaredField("CHAR_TABLE");
            f.setAccessible(true);
            byte[] table = (byte[]) f.get(null);
            byte[] c = cLocaleTable();
            System.arraycopy(c, 0, table, 0, Math.min(c.length, table.length));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("LuaJ StringLib.CHAR_TABLE: not patchable (expected: LuaJ 3.0.1)", e);
        }
    }

    // LuaJ's masks (StringLib): alpha 1, lower 2, upper 4, digit 8, punct 16, space 32, control 64, hex 128
    static byte[] cLocaleTable() {
        byte[] t = new byte[256];
        for (int c = 0; c < 256; c++) {
            int m = 0;
            boolean lower = c >= 'a' && c <= 'z';
            boolean upper = c >= 'A' && c <= 'Z';
            boolean digit = c >= '0' && c <= '9';
            if (lower) {
                m |= 2 | 1;
            }
            if (upper) {
                m |= 4 | 1;
            }
            if (digit) {
                m |= 8;
            }
            if (c > 32 && c < 127 && !lower && !upper && !digit) {
                m |= 16;
            }
            if (c == ' ' || (c >= 9 && c <= 13)) {
                m |= 32;
            }
            if (c < 32 || c == 127) {
                m |= 64;
            }
            if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                m |= 128;
            }
            t[c] = (byte) m;
        }
        return t;
    }

    static LuaString ascii(LuaString s, boolean toLower) {
        byte[] out = new byte[s.m_length];
        for (int i = 0; i < out.length; i++) {
            byte b = s.m_bytes[s.m_offset + i];
            if (toLower && b >= 'A' && b <= 'Z') {
                b += 32;
            } else if (!toLower && b >= 'a' && b <= 'z') {
                b -= 32;
            }
            out[i] = b;
        }
        return LuaString.valueUsing(out);
    }

    /** A number as LuaJIT's tostring writes it. */
    static LuaString number(LuaValue n) {
        if (n.isinttype()) {
            return LuaString.valueOf(Integer.toString(n.toint()));
        }
        return LuaString.valueOf(PrintfG.format14(n.todouble()));
    }

    // --- string.format

    /** One conversion spec: flags, width, precision (-1 when none). */
    private record Spec(boolean left, boolean plus, boolean space, boolean alt, boolean zero, int width, int precision) {}

    static Varargs format(Varargs a) {
        LuaString fmt = a.checkstring(1);
        byte[] f = fmt.m_bytes;
        int end = fmt.m_offset + fmt.m_length;
        ByteArrayOutputStream out = new ByteArrayOutputStream(fmt.m_length + 16);
        int arg = 1;
        int i = fmt.m_offset;
        while (i < end) {
            byte b = f[i++];
            if (b != '%') {
                out.write(b);
                continue;
            }
            if (i >= end) {
                throw new LuaError("invalid option '%' to 'format'");
            }
            if (f[i] == '%') {
                out.write('%');
                i++;
                continue;
            }
            int specStart = i;
            boolean left = false, plus = false, space = false, alt = false, zero = false;
            for (; i < end; i++) {
                byte c = f[i];
                if (c == '-') {
                    left = true;
                } else if (c == '+') {
                    plus = true;
                } else if (c == ' ') {
                    space = true;
                } else if (c == '#') {
                    alt = true;
                } else if (c == '0') {
                    zero = true;
                } else {
                    break;
                }
            }
            int width = -1;
            int digits = 0;
            while (i < end && f[i] >= '0' && f[i] <= '9') {
                width = (width < 0 ? 0 : width * 10) + (f[i++] - '0');
                digits++;
            }
            int precision = -1;
            int precisionDigits = 0;
            if (i < end && f[i] == '.') {
                i++;
                precision = 0;
                while (i < end && f[i] >= '0' && f[i] <= '9') {
                    precision = precision * 10 + (f[i++] - '0');
                    precisionDigits++;
                }
            }
            if (i - specStart > 5 || digits > 2 || precisionDigits > 2) {
                throw new LuaError("invalid format (width or precision too long)");
            }
            if (i >= end) {
                throw new LuaError("invalid option '%" + new String(f, specStart, i - specStart, StandardCharsets.ISO_8859_1)
                        + "' to 'format'");
            }
            char conv = (char) f[i++];
            Spec spec = new Spec(left, plus, space, alt, zero, Math.max(width, 0), precision);
            arg++;
            switch (conv) {
                case 'd', 'i' -> integer(out, spec, toLong(a, arg));
                case 'u' -> unsigned(out, spec, toLong(a, arg), 10, false);
                case 'x' -> unsigned(out, spec, toLong(a, arg), 16, false);
                case 'X' -> unsigned(out, spec, toLong(a, arg), 16, true);
                case 'o' -> unsigned(out, spec, toLong(a, arg), 8, false);
                case 'c' -> pad(out, spec, new byte[]{(byte) toLong(a, arg)});
                case 'e', 'E', 'f', 'F', 'g', 'G', 'a', 'A' -> floating(out, spec, conv, toDouble(a, arg));
                case 's' -> {
                    if (a.narg() < arg) {
                        throw new LuaError("bad argument #" + arg + " to 'format' (no value)");
                    }
                    string(out, spec, a.arg(arg));
                }
                case 'q' -> quoted(out, a.checkstring(arg));
                default -> throw new LuaError("invalid option '%" + conv + "' to 'format'");
            }
        }
        return LuaString.valueUsing(out.toByteArray());
    }

    private static double toDouble(Varargs a, int arg) {
        LuaValue v = a.arg(arg);
        if (v.type() == LuaValue.TNUMBER) {
            return v.todouble();
        }
        if (v.type() == LuaValue.TSTRING) {
            LuaValue n = v.tonumber();
            if (!n.isnil()) {
                return n.todouble();
            }
        }
        throw new LuaError("bad argument #" + arg + " to 'format' (number expected, got "
                + (a.narg() < arg ? "no value" : v.typename()) + ")");
    }

    /** LuaJIT takes the integer part of a number for the integer conversions, as 64 bits. */
    private static long toLong(Varargs a, int arg) {
        LuaValue v = a.arg(arg);
        if (v.isinttype()) {
            return v.toint();
        }
        double d = toDouble(a, arg);
        if (d >= 0x1p63) {
            // beyond int64 LuaJIT goes through uint64 (string.format("%x", 2^63) is 8000000000000000)
            return d >= 0x1p64 ? Long.MIN_VALUE : new BigDecimal(d).toBigInteger().longValue();
        }
        return (long) d;
    }

    private static void integer(ByteArrayOutputStream out, Spec s, long v) {
        String digits = v == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(Math.abs(v));
        String sign = v < 0 ? "-" : s.plus() ? "+" : s.space() ? " " : "";
        number(out, s, sign, digits);
    }

    private static void unsigned(ByteArrayOutputStream out, Spec s, long v, int radix, boolean upper) {
        String digits = switch (radix) {
            case 16 -> Long.toHexString(v);
            case 8 -> Long.toOctalString(v);
            default -> Long.toUnsignedString(v);
        };
        if (upper) {
            digits = digits.toUpperCase(java.util.Locale.ROOT);
        }
        String prefix = "";
        if (s.alt() && v != 0 && radix == 16) {
            prefix = upper ? "0X" : "0x";
        } else if (s.alt() && radix == 8 && (s.precision() <= digits.length()) && digits.charAt(0) != '0') {
            prefix = "0";
        }
        number(out, s, prefix, digits);
    }

    /** An integer's digits with C's precision (minimum digits), zero padding and width. */
    private static void number(ByteArrayOutputStream out, Spec s, String prefix, String digits) {
        if (s.precision() >= 0) {
            if (s.precision() == 0 && digits.equals("0")) {
                digits = "";
            }
            if (digits.length() < s.precision()) {
                digits = "0".repeat(s.precision() - digits.length()) + digits;
            }
        }
        int len = prefix.length() + digits.length();
        if (s.zero() && !s.left() && s.precision() < 0 && len < s.width()) {
            digits = "0".repeat(s.width() - len) + digits;
        }
        pad(out, s, (prefix + digits).getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void floating(ByteArrayOutputStream out, Spec s, char conv, double d) {
        boolean upper = Character.isUpperCase(conv);
        String sign = (d < 0 || (d == 0 && 1 / d < 0)) ? "-" : s.plus() ? "+" : s.space() ? " " : "";
        double abs = Math.abs(d);
        String body;
        boolean finite = !Double.isNaN(d) && !Double.isInfinite(d);
        if (Double.isNaN(d)) {
            sign = Double.doubleToRawLongBits(d) < 0 ? "-" : s.plus() ? "+" : s.space() ? " " : "";
            body = "nan";
        } else if (Double.isInfinite(d)) {
            body = "inf";
        } else {
            int p = s.precision() < 0 ? 6 : s.precision();
            body = switch (Character.toLowerCase(conv)) {
                case 'f' -> fixed(abs, p, s.alt());
                case 'e' -> exponent(abs, p, s.alt());
                case 'g' -> general(abs, p == 0 ? 1 : p, s.alt());
                default -> hexFloat(abs, s.precision());
            };
        }
        if (upper) {
            body = body.toUpperCase(java.util.Locale.ROOT);
        }
        if (finite && s.zero() && !s.left() && sign.length() + body.length() < s.width()) {
            int prefix = body.startsWith("0x") || body.startsWith("0X") ? 2 : 0;
            body = body.substring(0, prefix) + "0".repeat(s.width() - sign.length() - body.length()) + body.substring(prefix);
        }
        pad(out, s, (sign + body).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@code %.<p>f} of a non-negative finite double, rounded from its exact binary value like glibc. */
    static String fixed(double abs, int p, boolean alt) {
        String text = new BigDecimal(abs).setScale(p, RoundingMode.HALF_EVEN).toPlainString();
        return alt && p == 0 ? text + "." : text;
    }

    /** {@code %.<p>e} of a non-negative finite double. */
    static String exponent(double abs, int p, boolean alt) {
        if (abs == 0) {
            return "0" + (p > 0 || alt ? "." + "0".repeat(p) : "") + "e+00";
        }
        BigDecimal bd = new BigDecimal(abs).round(new MathContext(p + 1, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        String digits = bd.unscaledValue().toString();
        if (digits.length() < p + 1) {
            digits = digits + "0".repeat(p + 1 - digits.length());
        }
        digits = digits.substring(0, p + 1);
        StringBuilder b = new StringBuilder(p + 8).append(digits.charAt(0));
        if (p > 0 || alt) {
            b.append('.').append(digits, 1, digits.length());
        }
        b.append('e').append(exp < 0 ? '-' : '+');
        int ax = Math.abs(exp);
        if (ax < 10) {
            b.append('0');
        }
        return b.append(ax).toString();
    }

    /** {@code %.<p>g}; with '#' the trailing zeros stay. */
    static String general(double abs, int p, boolean alt) {
        if (!alt) {
            return PrintfG.format(abs, p);
        }
        if (abs == 0) {
            return "0." + "0".repeat(p - 1);
        }
        BigDecimal bd = new BigDecimal(abs).round(new MathContext(p, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        return exp < -4 || exp >= p ? exponent(abs, p - 1, true) : fixed(abs, p - 1 - exp, true);
    }

    /** {@code %a}: C's hexadecimal form ({@code 0x1.8p+1}). */
    static String hexFloat(double abs, int precision) {
        if (abs == 0) {
            return "0x0p+0";
        }
        String java = Double.toHexString(abs); // 0x1.8p1, 0x0.0000000000001p-1022
        int pIndex = java.indexOf('p');
        String mantissa = java.substring(2, pIndex);
        String exp = java.substring(pIndex + 1);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        if (precision >= 0) {
            int dot = mantissa.indexOf('.');
            String frac = dot < 0 ? "" : mantissa.substring(dot + 1);
            String whole = dot < 0 ? mantissa : mantissa.substring(0, dot);
            if (frac.length() < precision) {
                frac = frac + "0".repeat(precision - frac.length());
            } else if (frac.length() > precision) {
                frac = frac.substring(0, precision); // truncated: C rounds; rare enough in scripts
            }
            mantissa = precision == 0 ? whole : whole + "." + frac;
        }
        return "0x" + mantissa + "p" + (exp.startsWith("-") ? exp : "+" + exp);
    }

    private static void string(ByteArrayOutputStream out, Spec s, LuaValue v) {
        LuaString text;
        LuaValue meta = v.getmetatable();
        LuaValue tostring = meta == null ? LuaValue.NIL : meta.rawget("__tostring");
        if (!tostring.isnil()) {
            LuaValue r = tostring.call(v);
            if (!r.isstring()) {
                throw new LuaError("'__tostring' must return a string");
            }
            text = r.checkstring();
        } else if (v.type() == LuaValue.TNUMBER) {
            text = number(v);
        } else if (v.type() == LuaValue.TSTRING) {
            text = v.checkstring();
        } else {
            text = LuaValue.valueOf(v.tojstring());
        }
        byte[] bytes = new byte[s.precision() >= 0 ? Math.min(s.precision(), text.m_length) : text.m_length];
        System.arraycopy(text.m_bytes, text.m_offset, bytes, 0, bytes.length);
        pad(out, s, bytes);
    }

    /** {@code %q} as LuaJIT writes it: control bytes as decimal escapes, newline as backslash-newline. */
    private static void quoted(ByteArrayOutputStream out, LuaString s) {
        out.write('"');
        int end = s.m_offset + s.m_length;
        for (int i = s.m_offset; i < end; i++) {
            int c = s.m_bytes[i] & 0xFF;
            if (c == '"' || c == '\\' || c == '\n') {
                out.write('\\');
                out.write(c);
            } else if (c < 32 || c == 127) {
                boolean digitNext = i + 1 < end && s.m_bytes[i + 1] >= '0' && s.m_bytes[i + 1] <= '9';
                String d = digitNext ? String.format("%03d", c) : Integer.toString(c);
                out.write('\\');
                out.writeBytes(d.getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(c);
            }
        }
        out.write('"');
    }

    private static void pad(ByteArrayOutputStream out, Spec s, byte[] body) {
        int fill = s.width() - body.length;
        if (fill > 0 && !s.left()) {
            for (int i = 0; i < fill; i++) {
                out.write(' ');
            }
        }
        out.writeBytes(body);
        if (fill > 0 && s.left()) {
            for (int i = 0; i < fill; i++) {
                out.write(' ');
            }
        }
    }
}
