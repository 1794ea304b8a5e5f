package dev.graft.modules.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Settings text as the Lua module holds it: the JSON string's UTF-8 bytes, one char per byte,
 * the form request text has here too. Also Jackson's null-for-absent, made Optional.
 */
final class LuaText {

    private LuaText() {}

    static String bytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @SuppressWarnings("OptionalAssignedToNull")
    static <T> Optional<T> orEmpty(Optional<T> o) {
        return o == null ? Optional.empty() : o;
    }

    /** Lua's string.lower: ASCII letters only. */
    static String lower(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'A' && c[i] <= 'Z') {
                c[i] = (char) (c[i] + 32);
            }
        }
        return new String(c);
    }

    /**
     * {@code prefixes(list, field)}: the usable path prefixes (strings, non-empty), as Lua bytes;
     * empty when absent (every path). Unusable entries are null here and reported by
     * {@link #prefixProblems}.
     */
    static Optional<List<String>> prefixes(Optional<List<String>> list) {
        return orEmpty(list).map(l -> {
            List<String> out = new ArrayList<>(l.size());
            for (String p : l) {
                out.add(p == null || p.isEmpty() ? null : bytes(p));
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

    /**
     * A byte string (one char per byte) as the Java text a {@code CtxType.TEXT} key carries: its
     * bytes read as UTF-8, which the host writes back to Lua as the same bytes. Empty when the
     * bytes are not UTF-8 (such a value cannot cross as TEXT unchanged).
     */
    static Optional<String> ctxText(String byteChars) {
        byte[] b = byteChars.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        try {
            return Optional.of(java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b)).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The byte string (one char per byte) of a TEXT ctx value or other Java text: its UTF-8 bytes. */
    static String byteChars(String text) {
        return new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
