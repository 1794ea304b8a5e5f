package dev.graft.modules.auth;

import dev.graft.modules.lua.LuaText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The auth module's {@code prefixes(list, field)}: the path prefixes a key, basic or signed rule
 * covers, as Lua bytes, and the lines it logs for entries it cannot use.
 */
final class PathPrefixes {

    private PathPrefixes() {}

    /**
     * The usable path prefixes (strings, non-empty), as Lua bytes; empty when absent (every
     * path). Unusable entries are null here and reported by {@link #prefixProblems}.
     */
    static Optional<List<String>> prefixes(Optional<List<String>> list) {
        return LuaText.orEmpty(list).map(l -> {
            List<String> out = new ArrayList<>(l.size());
            for (String p : l) {
                out.add(p == null || p.isEmpty() ? null : LuaText.bytes(p));
            }
            return Collections.unmodifiableList(out);
        });
    }

    static void prefixProblems(String field, Optional<List<String>> list, List<String> out) {
        list.ifPresent(l -> {
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i) == null) {
                    out.add("auth: " + field + "[" + (i + 1) + "]: not a path prefix, ignored");
                }
            }
        });
    }

    /** Whether a prefix of the list starts {@code uri}; an absent list covers every path. */
    static boolean covers(Optional<List<String>> list, String uri) {
        if (list.isEmpty()) {
            return true;
        }
        for (String p : list.get()) {
            if (p != null && uri.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
