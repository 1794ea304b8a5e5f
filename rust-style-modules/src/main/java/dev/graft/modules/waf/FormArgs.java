package dev.graft.modules.waf;

import dev.graft.modules.lua.LuaText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code application/x-www-form-urlencoded} as {@code ngx.req.get_uri_args(max)} and
 * {@code get_post_args(max)} read it, on a byte string (one char per byte): '&amp;'-separated
 * pairs, '+' and %XX decoded, an empty name skipped, a name without '=' has no value (Lua's
 * {@code true}), at most {@code max} arguments (0 or less: all).
 *
 * @param byName each name's values in order; an empty value is the valueless {@code true}
 */
record FormArgs(Map<String, List<Optional<String>>> byName) {

    FormArgs {
        byName = java.util.Collections.unmodifiableMap(byName);
    }

    static FormArgs parse(String s, int max) {
        Map<String, List<Optional<String>>> args = new LinkedHashMap<>();
        int count = 0;
        int n = s.length();
        int i = 0;
        while (i < n) {
            int amp = s.indexOf('&', i);
            if (amp < 0) {
                amp = n;
            }
            if (amp > i) {
                if (max > 0 && count >= max) {
                    break; // "truncated"
                }
                int eq = s.indexOf('=', i);
                if (eq < 0 || eq > amp) {
                    eq = amp;
                }
                String key = LuaText.unescapeUri(s.substring(i, eq));
                if (!key.isEmpty()) {
                    Optional<String> value = eq < amp ? Optional.of(LuaText.unescapeUri(s.substring(eq + 1, amp)))
                            : Optional.empty();
                    args.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
                    count++;
                }
            }
            i = amp + 1;
        }
        return new FormArgs(args);
    }

    /** The string values of {@code name} (valueless ones left out). */
    List<String> values(String name) {
        List<Optional<String>> v = byName.get(name);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(v.size());
        for (Optional<String> item : v) {
            item.ifPresent(out::add);
        }
        return out;
    }

    /**
     * flatten_args: names in sorted (byte) order into {@code names}, their string values into
     * {@code values}; returns how many arguments there were (a repeated name counts each time).
     */
    int flatten(List<String> names, List<String> values) {
        int count = 0;
        for (String name : byName.keySet().stream().sorted().toList()) {
            names.add(name);
            for (Optional<String> item : byName.get(name)) {
                item.ifPresent(values::add);
                count++;
            }
        }
        return count;
    }
}
