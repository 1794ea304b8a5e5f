package dev.graft.modules.auth;

import dev.graft.modules.lua.LuaText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The query string as {@code ngx.req.get_uri_args()} reads it (at most 100 arguments, names and
 * values percent-decoded, '+' a space, a value-less argument distinct from an empty one), and
 * codec.without_args, which removes arguments by decoded name and keeps the others as sent.
 */
final class QueryArgs {

    /** OpenResty's default max_args: arguments after the 100th are not seen. */
    static final int MAX_ARGS = 100;

    private final Map<String, List<Optional<String>>> values;

    private QueryArgs(Map<String, List<Optional<String>>> values) {
        this.values = values;
    }

    static QueryArgs parse(Optional<String> raw) {
        Map<String, List<Optional<String>>> values = new HashMap<>();
        if (raw.isEmpty()) {
            return new QueryArgs(values);
        }
        String s = raw.get();
        int count = 0;
        int start = 0;
        int len = s.length();
        while (start <= len) {
            int amp = s.indexOf('&', start);
            int end = amp < 0 ? len : amp;
            if (end > start) {
                if (count >= MAX_ARGS) {
                    break;
                }
                count++;
                int eq = s.indexOf('=', start);
                String key;
                Optional<String> value;
                if (eq < 0 || eq >= end) {
                    key = LuaText.unescapeUri(s, start, end);
                    value = Optional.empty();
                } else {
                    key = LuaText.unescapeUri(s, start, eq);
                    value = Optional.of(LuaText.unescapeUri(s, eq + 1, end));
                }
                if (!key.isEmpty()) {
                    values.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
                }
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return new QueryArgs(values);
    }

    /** The values of {@code name}: empty list when absent; an empty Optional for "?name" (Lua's true). */
    List<Optional<String>> get(String name) {
        return values.getOrDefault(name, List.of());
    }

    /**
     * codec.without_args: the query without the arguments named in {@code names}; the others keep
     * their order and encoding, empty segments are dropped. Empty when nothing was removed.
     */
    static Optional<String> without(Optional<String> raw, Set<String> names) {
        if (raw.isEmpty() || raw.get().isEmpty()) {
            return Optional.empty();
        }
        String args = raw.get();
        StringBuilder kept = new StringBuilder(args.length());
        boolean removed = false;
        int pos = 0;
        int len = args.length();
        while (pos < len) {
            int amp = args.indexOf('&', pos);
            int end = amp < 0 ? len : amp;
            if (end > pos) {
                int eq = args.indexOf('=', pos);
                String name = LuaText.unescapeUri(args, pos, eq < 0 || eq >= end ? end : eq);
                if (names.contains(name)) {
                    removed = true;
                } else {
                    if (!kept.isEmpty()) {
                        kept.append('&');
                    }
                    kept.append(args, pos, end);
                }
            }
            pos = end + 1;
        }
        return removed ? Optional.of(kept.toString()) : Optional.empty();
    }
}
