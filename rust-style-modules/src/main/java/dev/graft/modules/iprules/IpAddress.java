package dev.graft.modules.iprules;

import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 (4 bytes) or IPv6 (16 bytes) address, parsed and printed exactly as
 * legacy-scripts/ip_rules/addr.lua does: decimal octets without leading zeros, hex groups with
 * one {@code ::} and an optional dotted-quad tail, no zone ids; IPv4-mapped IPv6 folded to its
 * IPv4 form; canonical text per RFC 5952.
 */
public final class IpAddress {

    private final int[] bytes;

    IpAddress(int[] bytes) {
        this.bytes = bytes;
    }

    /** The address's bytes, 0..255 each; 4 or 16 of them. */
    int[] bytes() {
        return bytes;
    }

    /** {@code addr.parse}: an address, IPv4-mapped IPv6 as IPv4; empty when unreadable. */
    public static Optional<IpAddress> parse(String s) {
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (s.indexOf(':') >= 0) {
            int[] b = parseV6(s);
            if (b == null) {
                return Optional.empty();
            }
            return Optional.of(new IpAddress(isV4Mapped(b) ? Arrays.copyOfRange(b, 12, 16) : b));
        }
        int[] b = parseV4(s);
        return b == null ? Optional.empty() : Optional.of(new IpAddress(b));
    }

    /**
     * {@code addr.strip_port}: a forwarded element without its port or brackets
     * ({@code 192.0.2.1:5123}, {@code [2001:db8::1]:443}, {@code [::1]}); empty when malformed.
     */
    public static Optional<String> stripPort(String s) {
        if (!s.isEmpty() && s.charAt(0) == '[') {
            int close = s.indexOf(']', 1);
            if (close < 0) {
                return Optional.empty();
            }
            String rest = s.substring(close + 1);
            if (!rest.isEmpty() && !isColonDigits(rest)) {
                return Optional.empty();
            }
            return Optional.of(s.substring(1, close));
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && s.indexOf(':', colon + 1) < 0) {
            // exactly one colon: IPv4 with a port (an IPv6 address has at least two)
            if (!isColonDigits(s.substring(colon))) {
                return Optional.empty();
            }
            return Optional.of(s.substring(0, colon));
        }
        return Optional.of(s);
    }

    /** Lua's {@code ^:%d+$}. */
    private static boolean isColonDigits(String s) {
        if (s.length() < 2 || s.charAt(0) != ':') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** "192.0.2.1" -> 192, 0, 2, 1; 1-3 decimal digits per octet, no leading zeros, at most 255. */
    static int[] parseV4(String s) {
        int[] out = new int[4];
        int pos = 0;
        for (int part = 0; part < 4; part++) {
            int start = pos;
            while (pos < s.length() && isDigit(s.charAt(pos)) && pos - start < 3) {
                pos++;
            }
            int len = pos - start;
            if (len == 0) {
                return null;
            }
            if (len > 1 && s.charAt(start) == '0') {
                return null;
            }
            int n = Integer.parseInt(s, start, pos, 10);
            if (n > 255) {
                return null;
            }
            out[part] = n;
            if (part < 3) {
                if (pos >= s.length() || s.charAt(pos) != '.') {
                    return null;
                }
                pos++;
            }
        }
        return pos == s.length() ? out : null;
    }

    /** One side of "::": hex groups; the very last may be a dotted quad when {@code v4Tail}. */
    private static boolean parseGroups(String s, int[] out, int[] count, boolean v4Tail) {
        if (s.isEmpty()) {
            return true;
        }
        int pos = 0;
        int len = s.length();
        while (true) {
            int colon = s.indexOf(':', pos);
            String group = s.substring(pos, colon < 0 ? len : colon);
            if (colon < 0 && v4Tail && group.indexOf('.') >= 0) {
                int[] q = parseV4(group);
                if (q == null || count[0] + 2 > out.length) {
                    return false;
                }
                out[count[0]++] = q[0] * 256 + q[1];
                out[count[0]++] = q[2] * 256 + q[3];
                return true;
            }
            int glen = group.length();
            if (glen == 0 || glen > 4 || !isHex(group) || count[0] >= out.length) {
                return false;
            }
            out[count[0]++] = Integer.parseInt(group, 16);
            if (colon < 0) {
                return true;
            }
            pos = colon + 1;
            if (pos >= len) {
                return false; // trailing single ':'
            }
        }
    }

    private static boolean isHex(String g) {
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (!(isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /** The 16 bytes of an IPv6 address, or null. */
    static int[] parseV6(String s) {
        int len = s.length();
        if (len < 2 || len > 45) {
            return null;
        }
        // Room for more groups than an address has, so an overlong side is counted, not lost.
        int[] head = new int[64];
        int[] tail = new int[64];
        int[] nh = {0};
        int[] nt = {0};
        int dc = s.indexOf("::");
        if (dc >= 0) {
            if (s.indexOf("::", dc + 1) >= 0) {
                return null; // at most one "::"
            }
            String left = s.substring(0, dc);
            String right = s.substring(dc + 2);
            if (!right.isEmpty() && right.charAt(0) == ':') {
                return null; // ":::"
            }
            if (!parseGroups(left, head, nh, false) || !parseGroups(right, tail, nt, true) || nh[0] + nt[0] > 7) {
                return null;
            }
        } else if (!parseGroups(s, head, nh, true) || nh[0] != 8) {
            return null;
        }
        int[] bytes = new int[16];
        int n = 0;
        for (int i = 0; i < nh[0]; i++) {
            bytes[n++] = head[i] >> 8;
            bytes[n++] = head[i] & 0xff;
        }
        n += 2 * (8 - nh[0] - nt[0]);
        for (int i = 0; i < nt[0]; i++) {
            bytes[n++] = tail[i] >> 8;
            bytes[n++] = tail[i] & 0xff;
        }
        return bytes;
    }

    static boolean isV4Mapped(int[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == 0xff && b[11] == 0xff;
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run of 2+ as "::"). */
    public String format() {
        if (bytes.length == 4) {
            return bytes[0] + "." + bytes[1] + "." + bytes[2] + "." + bytes[3];
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = bytes[2 * i] * 256 + bytes[2 * i + 1];
        }
        int bestAt = -1;
        int bestLen = 1; // a single zero group is not compressed
        int runAt = 0;
        int runLen = 0;
        for (int i = 0; i < 8; i++) {
            if (groups[i] == 0) {
                if (runLen == 0) {
                    runAt = i;
                }
                runLen++;
                if (runLen > bestLen) {
                    bestAt = runAt;
                    bestLen = runLen;
                }
            } else {
                runLen = 0;
            }
        }
        StringBuilder out = new StringBuilder(39);
        boolean afterGroup = false;
        int i = 0;
        while (i < 8) {
            if (i == bestAt) {
                out.append("::");
                afterGroup = false;
                i += bestLen;
            } else {
                if (afterGroup) {
                    out.append(':');
                }
                out.append(Integer.toHexString(groups[i]));
                afterGroup = true;
                i++;
            }
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && Arrays.equals(bytes, a.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return format();
    }
}
