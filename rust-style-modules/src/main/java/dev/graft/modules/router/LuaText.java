package dev.graft.modules.router;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Settings text as the Lua module holds it (UTF-8 bytes, one char each), and Jackson's null made Optional. */
final class LuaText {

    private LuaText() {}

    static String bytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @SuppressWarnings("OptionalAssignedToNull")
    static <T> Optional<T> orEmpty(Optional<T> o) {
        return o == null ? Optional.empty() : o;
    }

    /** A string setting the Lua module takes only when non-empty, as Lua bytes. */
    static Optional<String> nonEmpty(Optional<String> o) {
        return orEmpty(o).filter(s -> !s.isEmpty()).map(LuaText::bytes);
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
}
