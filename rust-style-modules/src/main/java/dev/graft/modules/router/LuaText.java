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
