package dev.graft.modules.router;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The pool choice of legacy-scripts/router/balancer.lua, as pure functions: a sticky cookie that
 * names a live target wins; otherwise CRC-32 of the key modulo the total weight, walking the
 * targets in their order. No randomness, so nginx and Graft choose alike.
 */
final class Balancer {

    private Balancer() {}

    /**
     * A choice.
     *
     * @param upstream  the chosen upstream
     * @param setCookie the Set-Cookie value to send; empty when the cookie already fits or the
     *                  pool is not sticky
     */
    record Choice(String upstream, Optional<String> setCookie) {}

    /**
     * @param cookieLines the request's Cookie header lines
     * @param hashValues  the values of the pool's hash header (empty when none configured or absent)
     * @param clientKey   {@code <client>|<customer>}
     */
    static Choice pick(RouteTable.PoolPlan pool, List<String> cookieLines, List<String> hashValues, String clientKey) {
        if (pool.cookie().isPresent()) {
            Optional<String> v = cookieValue(cookieLines, pool.cookie().get());
            if (v.isPresent() && pool.live(v.get())) {
                return new Choice(v.get(), Optional.empty());
            }
        }
        String key = hashValues.isEmpty() || hashValues.get(0).isEmpty() ? clientKey : hashValues.get(0);
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.ISO_8859_1));
        long point = crc.getValue() % pool.total();
        List<Pool.Slot> slots = pool.slots();
        String chosen = slots.get(slots.size() - 1).upstream();
        for (Pool.Slot s : slots) {
            if (point < s.upto()) {
                chosen = s.upstream();
                break;
            }
        }
        String c = chosen;
        return new Choice(chosen, pool.cookie().map(name -> name + "=" + c + pool.cookieAttributes()));
    }

    /**
     * balancer.cookie_value: the value of cookie {@code name} in the Cookie lines (joined with
     * "; "); the first occurrence wins; blanks around name and value are dropped; a
     * double-quoted value is unquoted.
     */
    static Optional<String> cookieValue(List<String> lines, String name) {
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        String header = lines.size() == 1 ? lines.get(0) : String.join("; ", lines);
        int pos = 0;
        int len = header.length();
        while (pos < len) {
            int semi = header.indexOf(';', pos);
            int end = semi < 0 ? len : semi;
            int eq = header.indexOf('=', pos);
            if (eq >= 0 && eq < end) {
                if (trimmedEquals(header, pos, eq, name)) {
                    String v = trim(header, eq + 1, end);
                    if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
                        v = v.substring(1, v.length() - 1);
                    }
                    return Optional.of(v);
                }
            }
            pos = end + 1;
        }
        return Optional.empty();
    }

    /** Whether {@code s[a, b)} without surrounding blanks is {@code name}, without cutting it out. */
    private static boolean trimmedEquals(String s, int a, int b, String name) {
        while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
            a++;
        }
        while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
            b--;
        }
        return b - a == name.length() && s.startsWith(name, a);
    }

    private static String trim(String s, int a, int b) {
        while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
            a++;
        }
        while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
            b--;
        }
        return s.substring(a, b);
    }
}
